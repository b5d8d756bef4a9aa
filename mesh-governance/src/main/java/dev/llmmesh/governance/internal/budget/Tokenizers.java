package dev.llmmesh.governance.internal.budget;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiTokenCountEstimator;
import dev.llmmesh.client.ModelDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Real tokenizers for the model families that have one on the class path: OpenAI's (langchain4j's
 * {@code OpenAiTokenCountEstimator}, jtokkit) when {@code langchain4j-open-ai} is present and the model is an OpenAI
 * model (provider {@code openai} or {@code azure}, model name {@code gpt-*}, {@code chatgpt-*} or {@code o<digit>*}).
 * Thread-safe; encoders are cached per model name.
 */
public final class Tokenizers {
    private static final boolean OPENAI_PRESENT = present("dev.langchain4j.model.openai.OpenAiTokenCountEstimator");
    private static final Pattern OPENAI_NAMES = Pattern.compile("(?i)(gpt-|chatgpt|o\\d).*");

    private Tokenizers() {
    }

    /**
     * The input tokens of the request's messages by the model family's own tokenizer, with its message framing; empty
     * when the family has none here, or the request holds content other than text (images, files).
     */
    public static OptionalLong messageTokens(ChatRequest request, ModelDescriptor model) {
        if (!OPENAI_PRESENT || !openAiFamily(model)) {
            return OptionalLong.empty();
        }
        for (ChatMessage m : request.messages()) {
            if (m instanceof UserMessage u) {
                for (Content c : u.contents()) {
                    if (!(c instanceof TextContent)) {
                        return OptionalLong.empty();
                    }
                }
            }
        }
        return OpenAi.count(request, model.modelName());
    }

    /** Whether {@link #messageTokens} may count for {@code model} (its family has a tokenizer here). */
    public static boolean hasTokenizer(ModelDescriptor model) {
        return OPENAI_PRESENT && openAiFamily(model);
    }

    static boolean openAiFamily(ModelDescriptor model) {
        String p = model.provider();
        return (p.equals("openai") || p.equals("azure")) && OPENAI_NAMES.matcher(model.modelName()).matches();
    }

    /** Touched only when langchain4j-open-ai is on the class path. */
    private static final class OpenAi {
        private static final Map<String, Optional<OpenAiTokenCountEstimator>> CACHE = new ConcurrentHashMap<>();

        static OptionalLong count(ChatRequest request, String modelName) {
            Optional<OpenAiTokenCountEstimator> e = CACHE.computeIfAbsent(modelName, OpenAi::create);
            if (e.isEmpty()) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(e.get().estimateTokenCountInMessages(request.messages()));
            } catch (RuntimeException x) {
                return OptionalLong.empty();
            }
        }

        private static Optional<OpenAiTokenCountEstimator> create(String modelName) {
            try {
                return Optional.of(new OpenAiTokenCountEstimator(modelName));
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty(); // a name jtokkit does not know
            }
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Tokenizers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
