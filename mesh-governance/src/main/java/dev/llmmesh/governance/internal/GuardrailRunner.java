package dev.llmmesh.governance.internal;

import dev.llmmesh.governance.guardrail.FailMode;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.guardrail.GuardrailResult;
import dev.llmmesh.governance.guardrail.InputGuardrail;
import dev.llmmesh.governance.guardrail.OutputGuardrail;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** Runs custom guardrails with their timeouts on an executor. Thread-safe. */
public final class GuardrailRunner {

    /**
     * A registered custom guardrail.
     *
     * @param <G> input or output guardrail
     */
    public record Registered<G>(G guardrail, GuardrailAction action, Duration timeout, FailMode failMode) {
        public Registered {
            Objects.requireNonNull(guardrail, "guardrail");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(failMode, "failMode");
        }
    }

    /**
     * The outcome of one run.
     *
     * @param result  the result when the guardrail answered in time
     * @param failure why it did not ("timed out after 500 ms", "threw IllegalStateException"), else null
     */
    record Outcome(@Nullable GuardrailResult result, @Nullable String failure) {
    }

    private final List<Registered<InputGuardrail>> inputs;
    private final List<Registered<OutputGuardrail>> outputs;
    private final @Nullable ExecutorService executor;

    public GuardrailRunner(List<Registered<InputGuardrail>> inputs, List<Registered<OutputGuardrail>> outputs,
                           @Nullable ExecutorService executor) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.executor = executor;
    }

    List<Registered<InputGuardrail>> inputs() {
        return inputs;
    }

    List<Registered<OutputGuardrail>> outputs() {
        return outputs;
    }

    Outcome run(Callable<GuardrailResult> check, Duration timeout) {
        if (executor == null) {
            throw new IllegalStateException("custom guardrails need an executor");
        }
        Future<GuardrailResult> f = executor.submit(check);
        try {
            GuardrailResult r = f.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return r == null ? new Outcome(null, "returned null") : new Outcome(r, null);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome(null, "timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return new Outcome(null, "threw " + c.getClass().getSimpleName());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        }
    }
}
