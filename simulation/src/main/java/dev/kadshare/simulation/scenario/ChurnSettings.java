package dev.kadshare.simulation.scenario;

import java.time.Duration;

/** A churn run: the lookup settings, how long it lasts, the session model, and the re-announce period. */
public record ChurnSettings(LookupSettings lookup, Duration duration, double sessionShape, Duration sessionMedian,
                            Duration reannounce) {
    /** As the node daemon does it in production (Node.REANNOUNCE_INTERVAL). */
    public static final Duration PRODUCTION_REANNOUNCE = Duration.ofMinutes(10);
}
