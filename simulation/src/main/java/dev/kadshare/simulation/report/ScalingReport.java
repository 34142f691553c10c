package dev.kadshare.simulation.report;

import java.util.List;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Lookup runs at several network sizes, and how their cost grows: the least-squares fit of RPCs per lookup
 * (the mean) to a + b log2 N, with its R², beside the R² of a fit linear in N for comparison.
 */
public record ScalingReport(String mode, long seed, List<LookupReport> runs, Cost cost) implements Report {
    public ScalingReport {
        runs = List.copyOf(runs);
    }

    /** A fitted line y = intercept + slope x and how well it fits (R²). */
    public record Fit(double intercept, double slope, double r2) {
        public double at(double x) {
            return intercept + slope * x;
        }
    }

    @Override
    public String scenario() {
        return "scaling";
    }

    /** The largest network measured. */
    @Override
    public int nodes() {
        return runs.stream().mapToInt(LookupReport::nodes).max().orElse(0);
    }

    /** Mean RPCs per lookup of one run. */
    public static double meanRpcs(LookupReport run) {
        return run.samples().stream().mapToDouble(LookupSample::rpcs).average().orElse(0);
    }

    /** RPCs per lookup against log2 N. */
    public Fit logFit() {
        return fit(true);
    }

    /** RPCs per lookup against N itself, to compare the shapes. */
    public Fit linearFit() {
        return fit(false);
    }

    private Fit fit(boolean log) {
        SimpleRegression regression = new SimpleRegression();
        for (LookupReport run : runs) {
            double x = log ? Math.log(run.nodes()) / Math.log(2) : run.nodes();
            regression.addData(x, meanRpcs(run));
        }
        if (runs.size() < 2) {
            return new Fit(Double.NaN, Double.NaN, Double.NaN);
        }
        return new Fit(regression.getIntercept(), regression.getSlope(), regression.getRSquare());
    }
}
