package dev.llmmesh.governance.budget;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.TextTokens;
import java.util.List;
import java.util.OptionalLong;

/**
 * Estimates how many input tokens a request will be billed for, before it is sent. Budgets reserve and rate limits
 * count with it; the real counts replace the estimate once the provider reports usage.
 *
 * <p>{@link #DEFAULT} counts with the model family's own tokenizer where one is on the class path (OpenAI models, with
 * langchain4j's {@code OpenAiTokenCountEstimator} from {@code langchain4j-open-ai}) and otherwise with
 * {@link #SCRIPT_AWARE}: each text by {@link TextTokens} (Latin script at one token per four characters, CJK at 1.5
 * per character, other scripts at 1.25, emoji at 3), four tokens of framing per message, 85 tokens per image, and the
 * tools' names, descriptions and half their schema text. The per-script rates are at or above what the common BPE
 * tokenizers bill, so a reservation is not undercut by the script of the text.
 * Implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface TokenEstimator {

    /** Characters per token for English text with the common BPE tokenizers. */
    int CHARS_PER_TOKEN = 4;

    /** The script-aware heuristic described above, for every model. */
    TokenEstimator SCRIPT_AWARE = TokenEstimator::heuristic;

    /** The model family's tokenizer where one is available, else {@link #SCRIPT_AWARE}. */
    TokenEstimator DEFAULT = new TokenEstimator() {
        @Override
        public long inputTokens(ChatRequest request) {
            return heuristic(request);
        }

        @Override
        public long inputTokens(ChatRequest request, ModelDescriptor model) {
            OptionalLong exact = dev.llmmesh.governance.internal.budget.Tokenizers.messageTokens(request, model);
            if (exact.isEmpty()) {
                return heuristic(request);
            }
            return exact.getAsLong() + toolTokens(request);
        }

        @Override
        public String toString() {
            return "TokenEstimator.DEFAULT";
        }
    };

    /** The estimated input tokens of {@code request} for any model; never negative. */
    long inputTokens(ChatRequest request);

    /**
     * The estimated input tokens of {@code request} when sent to {@code model} (whose family may have its own
     * tokenizer); never negative. By default the same as {@link #inputTokens(ChatRequest)}.
     */
    default long inputTokens(ChatRequest request, ModelDescriptor model) {
        return inputTokens(request);
    }

    /** The script-aware token estimate of one text, without message framing ({@link TextTokens}). */
    static long textTokens(CharSequence text) {
        return TextTokens.estimate(text);
    }

    private static long heuristic(ChatRequest request) {
        long tokens = 0;
        long images = 0;
        List<ChatMessage> messages = request.messages();
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage u) {
                for (Content c : u.contents()) {
                    if (c instanceof TextContent t) {
                        tokens += textTokens(t.text());
                    } else if (c instanceof ImageContent) {
                        images++;
                    }
                }
            } else if (m instanceof SystemMessage s) {
                tokens += textTokens(s.text());
            } else if (m instanceof AiMessage a) {
                tokens += a.text() == null ? 0 : textTokens(a.text());
                if (a.hasToolExecutionRequests()) {
                    for (var r : a.toolExecutionRequests()) {
                        tokens += textTokens(r.name()) + (r.arguments() == null ? 0 : textTokens(r.arguments()));
                    }
                }
            } else if (m instanceof ToolExecutionResultMessage r) {
                tokens += r.text() == null ? 0 : textTokens(r.text());
            }
        }
        return tokens + toolTokens(request) + 4L * messages.size() + 85L * images;
    }

    private static long toolTokens(ChatRequest request) {
        long tokens = 0;
        List<ToolSpecification> tools = request.toolSpecifications();
        if (tools != null) {
            for (ToolSpecification t : tools) {
                tokens += textTokens(t.name()) + (t.description() == null ? 0 : textTokens(t.description()))
                        + (t.parameters() == null ? 0 : (t.parameters().toString().length() / 2 + 3) / 4);
            }
        }
        return tokens;
    }
}
