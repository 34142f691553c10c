package dev.kadshare.simulation.scenario;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.distribution.WeibullDistribution;

/**
 * How long a node stays online: Weibull session times, given by shape and median (shape 0.5, median
 * 20 min by default: most sessions are short, a few very long, as measured on deployed DHTs).
 */
public final class SessionModel {
    private final WeibullDistribution distribution;

    public SessionModel(double shape, Duration median) {
        if (shape <= 0 || median.isNegative() || median.isZero()) {
            throw new IllegalArgumentException("shape and median must be positive");
        }
        // The median of Weibull(shape k, scale l) is l * ln(2)^(1/k).
        double scaleSeconds = median.toMillis() / 1000.0 / Math.pow(Math.log(2), 1 / shape);
        this.distribution = new WeibullDistribution(null, shape, scaleSeconds,
                WeibullDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);
    }

    /** One session length, drawn by inverting the CDF (closed-form for Weibull) at a uniform quantile. */
    public Duration next(RandomGenerator random) {
        double seconds = distribution.inverseCumulativeProbability(random.nextDouble());
        return Duration.ofNanos(Math.round(Math.min(seconds, 1e9) * 1e9));
    }
}
