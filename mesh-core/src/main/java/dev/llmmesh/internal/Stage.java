package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;

/**
 * One named step of the call path. {@link CallPath#assemble} lists them in the order a call runs through them; each
 * stage does its part and hands on to the rest with {@link Next#proceed} (or does not, when it answers or stops the
 * call itself). {@code X} is what travels down the stages: {@link CallState} for a call, {@link AttemptState} for one
 * attempt on one model.
 *
 * @param <X> the state that travels down the stages
 */
interface Stage<X> {

    /** The name used in the architecture page and in errors. */
    String name();

    /** Does this stage's part of {@code x}; {@code next} runs the stages after this one. */
    ChatResponse proceed(X x, Next<X> next);

    /** The stages after the current one. */
    @FunctionalInterface
    interface Next<X> {
        ChatResponse proceed(X x);
    }

    /**
     * Links {@code stages} once, so running them allocates nothing: the returned {@link Next} runs the first stage
     * with the second as its next, and so on. The last stage must not proceed.
     */
    static <X> Next<X> link(List<? extends Stage<X>> stages) {
        Next<X> next = x -> {
            throw new IllegalStateException("stage " + stages.get(stages.size() - 1).name()
                    + " proceeded past the last stage");
        };
        for (int i = stages.size() - 1; i >= 0; i--) {
            Stage<X> stage = stages.get(i);
            Next<X> rest = next;
            next = x -> stage.proceed(x, rest);
        }
        return next;
    }
}
