package dev.llmmesh.client;

import dev.langchain4j.model.output.TokenUsage;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Token counts read from a langchain4j {@link TokenUsage}, including the provider-specific subclasses that carry
 * cached-input and reasoning counts (OpenAI's {@code inputTokensDetails().cachedTokens()} and
 * {@code outputTokensDetails().reasoningTokens()}, Anthropic's {@code cacheReadInputTokens()}). Read reflectively so
 * that core does not depend on provider modules.
 *
 * @param input       all input tokens, cached ones included
 * @param output      all output tokens, reasoning ones included
 * @param cachedInput input tokens served from the provider's prompt cache
 * @param reasoning   output tokens spent on reasoning
 * @param cacheWrite  input tokens written to the provider's prompt cache (Anthropic's cache creation), part of
 *                    {@code input}
 */
public record TokenCounts(long input, long output, long cachedInput, long reasoning, long cacheWrite) {

    /** Counts without cache writes. */
    public TokenCounts(long input, long output, long cachedInput, long reasoning) {
        this(input, output, cachedInput, reasoning, 0);
    }

    /** Reads the counts from {@code usage}; zeros for a null usage or absent details. */
    public static TokenCounts of(@Nullable TokenUsage usage) {
        if (usage == null) {
            return new TokenCounts(0, 0, 0, 0, 0);
        }
        long in = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        long cached = firstNumber(usage, "inputTokensDetails", "cachedTokens");
        if (cached == 0) {
            cached = firstNumber(usage, "cacheReadInputTokens", null);
        }
        long reasoning = firstNumber(usage, "outputTokensDetails", "reasoningTokens");
        long cacheWrite = firstNumber(usage, "inputTokensDetails", "cacheWriteTokens");
        if (cacheWrite == 0) {
            cacheWrite = firstNumber(usage, "cacheCreationInputTokens", null);
        }
        return new TokenCounts(in, out, cached, reasoning, cacheWrite);
    }

    /** How to read the optional counts of one TokenUsage class; looked up once per class. */
    private static final ClassValue<Method[]> READERS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return new Method[] {
                find(type, "inputTokensDetails"), find(type, "cacheReadInputTokens"),
                find(type, "outputTokensDetails"), find(type, "inputTokensDetails"), find(type, "cacheCreationInputTokens")};
        }
    };

    /** The accessor {@code method} of {@code type}; a nested accessor is resolved on the value's class at read time. */
    private static @Nullable Method find(Class<?> type, String method) {
        try {
            return type.getMethod(method);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static long firstNumber(Object target, String method, @Nullable String nested) {
        if (target.getClass() == TokenUsage.class) {
            return 0;
        }
        Method[] readers = READERS.get(target.getClass());
        Method m = switch (method) {
            case "inputTokensDetails" -> "cachedTokens".equals(nested) ? readers[0] : readers[3];
            case "cacheReadInputTokens" -> readers[1];
            case "outputTokensDetails" -> readers[2];
            default -> readers[4];
        };
        if (m == null) {
            return 0;
        }
        try {
            Object v = m.invoke(target);
            if (v != null && nested != null) {
                v = v.getClass().getMethod(nested).invoke(v);
            }
            return v instanceof Number n ? n.longValue() : 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }
}
