package dev.llmmesh;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A budget or rate limit would be exceeded. Names the scope, the limit and when it resets. */
public class BudgetExceededException extends MeshException {
    private static final long serialVersionUID = 1L;

    private final String scope;
    private final @Nullable Instant resetsAt;

    public BudgetExceededException(String scope, String message, @Nullable Instant resetsAt) {
        super(ErrorKind.BUDGET_EXCEEDED, message, null, null, null);
        this.scope = Objects.requireNonNull(scope, "scope");
        this.resetsAt = resetsAt;
    }

    /** The scope whose limit was hit, e.g. {@code team:search/day}. */
    public String scope() {
        return scope;
    }

    /** When the window resets, if it does. */
    public Optional<Instant> resetsAt() {
        return Optional.ofNullable(resetsAt);
    }
}
