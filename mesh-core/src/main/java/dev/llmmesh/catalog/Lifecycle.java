package dev.llmmesh.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A catalog item's state and who last changed it, when.
 *
 * @param state     proposed, approved, deprecated or retired
 * @param changedBy who moved it into this state (e.g. the approver); empty for defaults
 * @param changedAt when; empty for defaults
 */
public record Lifecycle(LifecycleState state, Optional<String> changedBy, Optional<Instant> changedAt) {
    public Lifecycle {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(changedBy, "changedBy");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** Proposed, nobody has acted yet. */
    public static Lifecycle proposed() {
        return new Lifecycle(LifecycleState.PROPOSED, Optional.empty(), Optional.empty());
    }

    /** Approved without a named approver: what code-registered items get unless they say otherwise. */
    public static Lifecycle approvedByDefault() {
        return new Lifecycle(LifecycleState.APPROVED, Optional.empty(), Optional.empty());
    }

    /** {@code state}, set by {@code who} at {@code when}. */
    public static Lifecycle of(LifecycleState state, String who, Instant when) {
        return new Lifecycle(state, Optional.of(who), Optional.of(when));
    }
}
