package dev.llmmesh.governance.ratelimit;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Requests and tokens per minute sent to one model deployment (by id), or to each model separately. Checked on every
 * attempt, for the model actually called: an attempt over the limit fails as rate limited, so the router falls back
 * to another model. A model's own limit replaces the every-model limit for that model.
 *
 * @param model the model id; empty for every model separately
 * @param rpm   requests per minute; empty for no request limit
 * @param tpm   tokens per minute; empty for no token limit
 */
public record ModelRateLimit(Optional<String> model, OptionalLong rpm, OptionalLong tpm) {

    /**
     * @throws IllegalArgumentException if neither rpm nor tpm is set, either is below 1, or the model id is blank
     */
    public ModelRateLimit {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(tpm, "tpm");
        if (rpm.isEmpty() && tpm.isEmpty()) {
            throw new IllegalArgumentException("a model rate limit needs rpm, tpm or both");
        }
        if (rpm.isPresent() && rpm.getAsLong() < 1) {
            throw new IllegalArgumentException("rpm must be >= 1, got " + rpm.getAsLong());
        }
        if (tpm.isPresent() && tpm.getAsLong() < 1) {
            throw new IllegalArgumentException("tpm must be >= 1, got " + tpm.getAsLong());
        }
        if (model.isPresent() && model.get().isBlank()) {
            throw new IllegalArgumentException("model id must not be blank; omit it to limit every model");
        }
    }

    /** Requests and tokens per minute for model {@code modelId}; pass 0 for "no limit" on either. */
    public static ModelRateLimit of(String modelId, long rpm, long tpm) {
        return new ModelRateLimit(Optional.of(modelId), rpm > 0 ? OptionalLong.of(rpm) : OptionalLong.empty(),
                tpm > 0 ? OptionalLong.of(tpm) : OptionalLong.empty());
    }
}
