package dev.llmmesh.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.providers.ProviderTokenUsage;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a provider reports into {@link ProviderTokenUsage}, so that input counts include cached tokens and output
 * counts include reasoning tokens for every provider. Each call gets a {@link Session}, which also sees the raw
 * response body or stream events (for facts langchain4j drops). Implementations are stateless and thread-safe;
 * sessions are used by one call.
 */
public interface UsageAccounting {

    /** A fresh session for one call. */
    Session start();

    /** One call's usage reader. */
    interface Session extends Consumer<String> {
        /** The normalised usage, given what langchain4j reported; {@code null} when nothing was reported. */
        @Nullable TokenUsage usage(@Nullable TokenUsage reported);
    }

    /** langchain4j's usage as it is (OpenAI's {@code OpenAiTokenUsage} already carries cached and reasoning counts). */
    UsageAccounting AS_REPORTED = () -> new Session() {
        @Override
        public void accept(String raw) {
        }

        @Override
        public @Nullable TokenUsage usage(@Nullable TokenUsage reported) {
            return reported;
        }
    };

    /**
     * Anthropic: input counts exclude cache reads and writes there; add them. The result stays an
     * {@link AnthropicTokenUsage} (langchain4j's Anthropic metadata accepts no other type), with
     * {@code inputTokenCount} now the total and the cache counts unchanged; core reads the cached count through
     * {@code cacheReadInputTokens()}.
     */
    UsageAccounting ANTHROPIC = () -> new Session() {
        @Override
        public void accept(String raw) {
        }

        @Override
        public @Nullable TokenUsage usage(@Nullable TokenUsage reported) {
            if (reported == null) {
                return null;
            }
            int read = 0;
            int write = 0;
            if (reported instanceof AnthropicTokenUsage a) {
                read = n(a.cacheReadInputTokens());
                write = n(a.cacheCreationInputTokens());
            }
            return AnthropicTokenUsage.builder()
                    .inputTokenCount(n(reported.inputTokenCount()) + read + write)
                    .outputTokenCount(n(reported.outputTokenCount()))
                    .cacheReadInputTokens(read)
                    .cacheCreationInputTokens(write)
                    .build();
        }
    };

    /** Gemini: output counts exclude thoughts there; add them and report them as reasoning. */
    UsageAccounting GEMINI = () -> new Session() {
        @Override
        public void accept(String raw) {
        }

        @Override
        public @Nullable TokenUsage usage(@Nullable TokenUsage reported) {
            if (reported == null) {
                return null;
            }
            int thoughts = 0;
            int cached = 0;
            if (reported instanceof GoogleAiGeminiTokenUsage g) {
                thoughts = n(g.thoughtsTokenCount());
                cached = n(g.cachedContentTokenCount());
            }
            int input = n(reported.inputTokenCount());
            return new ProviderTokenUsage(input, n(reported.outputTokenCount()) + thoughts, Math.min(cached, input), 0,
                    thoughts);
        }
    };

    /** Mistral: OpenAI's fields plus {@code num_cached_tokens}, read from the raw body or the usage chunk. */
    UsageAccounting MISTRAL = () -> new Session() {
        private final ObjectMapper json = new ObjectMapper();
        private volatile int cached;

        @Override
        public void accept(String raw) {
            if (!raw.contains("\"usage\"")) {
                return;
            }
            try {
                JsonNode usage = json.readTree(raw).path("usage");
                if (usage.isObject()) {
                    int n = usage.path("num_cached_tokens").asInt(0);
                    if (n == 0) {
                        n = usage.path("prompt_tokens_details").path("cached_tokens").asInt(0);
                    }
                    cached = n;
                }
            } catch (IOException e) {
                // not JSON: langchain4j reports the parse failure
            }
        }

        @Override
        public @Nullable TokenUsage usage(@Nullable TokenUsage reported) {
            if (reported == null) {
                return null;
            }
            int input = n(reported.inputTokenCount());
            return new ProviderTokenUsage(input, n(reported.outputTokenCount()), Math.min(cached, input), 0, 0);
        }
    };

    private static int n(@Nullable Integer value) {
        return value == null ? 0 : Math.max(0, value);
    }
}
