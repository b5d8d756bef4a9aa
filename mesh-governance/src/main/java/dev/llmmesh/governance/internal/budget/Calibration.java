package dev.llmmesh.governance.internal.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What budgets learn about each model's billing, in this process: how far its billed output went beyond the output
 * allowance it was reserved for (a provider that returns more than {@code max_tokens}), as the largest ratio seen.
 * Reservations made after a model's first answer scale its output allowance by that ratio, so calls admitted from
 * then on are not undercut by a provider that does not honour {@code max_tokens}. Thread-safe.
 */
public final class Calibration {
    private final Map<String, Double> outputRatio = new ConcurrentHashMap<>();

    /** The factor to reserve {@code model}'s output allowance with (at least 1). */
    public double outputFactor(String model) {
        return outputRatio.getOrDefault(model, 1.0);
    }

    /**
     * Records a bill: {@code billedOutput} tokens against a reserved allowance of {@code reservedOutput} (already
     * scaled by this model's factor at the time).
     */
    void observe(String model, long billedOutput, long reservedOutput) {
        if (reservedOutput > 0 && billedOutput > reservedOutput) {
            double base = reservedOutput / outputFactor(model);
            outputRatio.merge(model, billedOutput / base, Math::max);
        }
    }
}
