package dev.kadshare.simulation.scenario;

import java.time.Duration;

/** A churn run: the lookup settings, how long the lookups are spread over, and the session model. */
public record ChurnSettings(LookupSettings lookup, Duration duration, double sessionShape, Duration sessionMedian) {
}
