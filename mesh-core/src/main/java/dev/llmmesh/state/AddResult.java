package dev.llmmesh.state;

import java.util.List;
import java.util.OptionalInt;

/**
 * The outcome of {@link StateStore#addAllWithinLimits}.
 *
 * @param applied  whether every add was applied (all or nothing)
 * @param values   each counter's value after the operation (unchanged ones when not applied), in request order
 * @param violated the index of the first add that would have exceeded its limit, when not applied
 */
public record AddResult(boolean applied, List<Long> values, OptionalInt violated) {
    public AddResult {
        values = List.copyOf(values);
    }
}
