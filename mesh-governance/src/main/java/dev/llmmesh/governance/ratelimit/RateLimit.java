package dev.llmmesh.governance.ratelimit;

import dev.llmmesh.governance.budget.Scope;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Requests and tokens per minute for a scope. With a {@code subject} the limit applies to that one team, user, API
 * key (by its key id) or agent run; without one, to every subject of the kind separately. A call must fit every limit
 * that applies to it.
 *
 * @param scope   who the limit applies to
 * @param subject the one subject; empty for every subject separately (always empty for {@link Scope#ORG})
 * @param rpm     requests per minute; empty for no request limit
 * @param tpm     tokens (input plus output) per minute; empty for no token limit
 */
public record RateLimit(Scope scope, Optional<String> subject, OptionalLong rpm, OptionalLong tpm) {

    /**
     * @throws IllegalArgumentException if neither rpm nor tpm is set, either is below 1, the subject is blank, or an
     *                                  org limit names a subject
     */
    public RateLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(tpm, "tpm");
        if (rpm.isEmpty() && tpm.isEmpty()) {
            throw new IllegalArgumentException("a rate limit needs rpm, tpm or both");
        }
        if (rpm.isPresent() && rpm.getAsLong() < 1) {
            throw new IllegalArgumentException("rpm must be >= 1, got " + rpm.getAsLong());
        }
        if (tpm.isPresent() && tpm.getAsLong() < 1) {
            throw new IllegalArgumentException("tpm must be >= 1, got " + tpm.getAsLong());
        }
        if (subject.isPresent() && subject.get().isBlank()) {
            throw new IllegalArgumentException("rate limit subject must not be blank; omit it to limit every "
                    + scope.configName() + " separately");
        }
        if (scope == Scope.ORG && subject.isPresent()) {
            throw new IllegalArgumentException("an org rate limit has no subject; remove \"" + subject.get() + "\"");
        }
    }

    /** Requests per minute for each subject of {@code scope} (or the org). */
    public static RateLimit rpm(Scope scope, long rpm) {
        return new RateLimit(scope, Optional.empty(), OptionalLong.of(rpm), OptionalLong.empty());
    }

    /** Tokens per minute for each subject of {@code scope} (or the org). */
    public static RateLimit tpm(Scope scope, long tpm) {
        return new RateLimit(scope, Optional.empty(), OptionalLong.empty(), OptionalLong.of(tpm));
    }

    /** Requests and tokens per minute for each subject of {@code scope} (or the org). */
    public static RateLimit of(Scope scope, long rpm, long tpm) {
        return new RateLimit(scope, Optional.empty(), OptionalLong.of(rpm), OptionalLong.of(tpm));
    }

    /** A copy that applies only to {@code subject}. */
    public RateLimit forSubject(String subject) {
        return new RateLimit(scope, Optional.of(Objects.requireNonNull(subject, "subject")), rpm, tpm);
    }
}
