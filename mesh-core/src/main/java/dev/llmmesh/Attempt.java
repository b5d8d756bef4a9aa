package dev.llmmesh;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One try of a call on one model.
 *
 * @param number    1 for the first attempt of the call, then 2, 3, …
 * @param modelId   the model deployment tried
 * @param latency   how long the attempt took
 * @param error     why it failed; empty when it succeeded
 * @param errorText a short, secret-free description of the failure; empty when it succeeded
 * @param cost      what this attempt was billed (its usage at the model's price; partial usage for a cut or cancelled
 *                  stream; zero when the provider reported nothing; unknown when the model has no price)
 */
public record Attempt(int number, String modelId, Duration latency, Optional<ErrorKind> error,
                      Optional<String> errorText, Cost cost) {
    public Attempt {
        if (number < 1) {
            throw new IllegalArgumentException("number must be >= 1, got " + number);
        }
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(errorText, "errorText");
        Objects.requireNonNull(cost, "cost");
    }

    public static Attempt success(int number, String modelId, Duration latency, Cost cost) {
        return new Attempt(number, modelId, latency, Optional.empty(), Optional.empty(), cost);
    }

    public static Attempt failure(int number, String modelId, Duration latency, ErrorKind kind, String text, Cost cost) {
        return new Attempt(number, modelId, latency, Optional.of(kind), Optional.of(text), cost);
    }

    public boolean succeeded() {
        return error.isEmpty();
    }
}
