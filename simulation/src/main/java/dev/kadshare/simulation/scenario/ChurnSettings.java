package dev.kadshare.simulation.scenario;

import java.time.Duration;

/** A churn run: the lookup settings, how long the lookups are spread over, and the session model. */
public record ChurnSettings(LookupSettings lookup, Duration duration, double sessionShape, Duration sessionMedian) {
    public ChurnSettings {
        if (duration.isNegative() || duration.isZero() || sessionShape <= 0 || sessionMedian.isNegative()
                || sessionMedian.isZero()) {
            throw new IllegalArgumentException("duration, session shape and session median must be positive");
        }
    }
}
