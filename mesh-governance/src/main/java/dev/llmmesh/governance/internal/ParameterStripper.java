package dev.llmmesh.governance.internal;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Removes log-probability and logit-bias settings from request parameters. langchain4j's portable
 * {@link ChatRequestParameters} has neither; providers add them in subclasses (for example
 * {@code OpenAiChatRequestParameters.logprobs()}, {@code topLogprobs()}, {@code logitBias()}, and
 * {@code customParameters()} entries named {@code logprobs}, {@code top_logprobs} or {@code logit_bias}). This class
 * finds them by those accessor names, rebuilds the parameters with the provider's own builder
 * ({@code builder().overrideWith(p)} then {@code field(null)}), and when that is not possible falls back to the
 * portable parameters alone (dropping every provider-specific setting), which it reports.
 */
public final class ParameterStripper {
    private ParameterStripper() {
    }

    /**
     * The outcome.
     *
     * @param parameters the parameters to send
     * @param stripped   the names of what was removed
     * @param portableFallback whether every provider-specific setting had to be dropped
     */
    public record Result(ChatRequestParameters parameters, List<String> stripped, boolean portableFallback) {
    }

    private static final List<String> LOGPROBS = List.of("logprobs", "topLogprobs");
    private static final List<String> LOGIT_BIAS = List.of("logitBias");
    private static final List<String> CUSTOM_LOGPROBS = List.of("logprobs", "top_logprobs");
    private static final List<String> CUSTOM_LOGIT_BIAS = List.of("logit_bias");

    /** Strips what is not allowed; returns empty when there was nothing to strip. */
    public static Optional<Result> strip(ChatRequestParameters p, boolean allowLogprobs, boolean allowLogitBias) {
        if (p.getClass() == DefaultChatRequestParameters.class || (allowLogprobs && allowLogitBias)) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        if (!allowLogprobs) {
            LOGPROBS.stream().filter(f -> present(read(p, f))).forEach(fields::add);
        }
        if (!allowLogitBias) {
            LOGIT_BIAS.stream().filter(f -> present(read(p, f))).forEach(fields::add);
        }
        List<String> customKeys = new ArrayList<>();
        Object custom = read(p, "customParameters");
        if (custom instanceof Map<?, ?> m) {
            if (!allowLogprobs) {
                CUSTOM_LOGPROBS.stream().filter(m::containsKey).forEach(customKeys::add);
            }
            if (!allowLogitBias) {
                CUSTOM_LOGIT_BIAS.stream().filter(m::containsKey).forEach(customKeys::add);
            }
        }
        if (fields.isEmpty() && customKeys.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>(fields);
        customKeys.forEach(k -> names.add("customParameters." + k));
        try {
            Object builder = p.getClass().getMethod("builder").invoke(null);
            builder.getClass().getMethod("overrideWith", ChatRequestParameters.class).invoke(builder, p);
            for (String f : fields) {
                Method setter = setter(builder.getClass(), f);
                setter.invoke(builder, (Object) null);
            }
            if (!customKeys.isEmpty() && custom instanceof Map<?, ?> m) {
                Map<Object, Object> copy = new LinkedHashMap<>(m);
                customKeys.forEach(copy::remove);
                setter(builder.getClass(), "customParameters").invoke(builder, copy);
            }
            Object built = builder.getClass().getMethod("build").invoke(builder);
            if (built instanceof ChatRequestParameters result && verify(result, fields, customKeys)) {
                return Optional.of(new Result(result, List.copyOf(names), false));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // fall through to the portable parameters
        }
        ChatRequestParameters portable = DefaultChatRequestParameters.builder().overrideWith(p).build();
        return Optional.of(new Result(portable, List.copyOf(names), true));
    }

    private static boolean verify(ChatRequestParameters r, List<String> fields, List<String> customKeys) {
        for (String f : fields) {
            if (present(read(r, f))) {
                return false;
            }
        }
        Object custom = read(r, "customParameters");
        if (custom instanceof Map<?, ?> m) {
            for (String k : customKeys) {
                if (m.containsKey(k)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Method setter(Class<?> type, String name) throws NoSuchMethodException {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) {
                return m;
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static @Nullable Object read(Object p, String accessor) {
        try {
            Method m = p.getClass().getMethod(accessor);
            return m.getParameterCount() == 0 ? m.invoke(p) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean present(@Nullable Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return true;
    }
}
