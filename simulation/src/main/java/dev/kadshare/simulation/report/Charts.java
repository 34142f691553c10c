package dev.kadshare.simulation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.kadshare.simulation.nat.NatKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of a run, rendered headless: the lookup latency CDF, or the swarm's completion curve (share
 * of downloaders done over time) against the Kumar–Ross bound.
 */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Charts() {}

    /** Writes {@code SCENARIO-*.png} into {@code dir} and returns its path. */
    public static Path write(Report report, Path dir) throws IOException {
        // No display is needed, nor wanted on a CI machine.
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        if (report instanceof LookupReport r) {
            double[] latency = r.samples().stream().mapToDouble(LookupSample::latencyMs).toArray();
            JFreeChart chart = ChartFactory.createXYLineChart(
                    "Lookup latency CDF (" + r.scenario() + ", " + r.mode() + ", " + r.nodes() + " nodes)",
                    "latency (ms)", "share of lookups", cdf("lookups", latency), PlotOrientation.VERTICAL,
                    false, false, false);
            return save(chart, dir.resolve(r.scenario() + "-latency-cdf.png"));
        }
        if (report instanceof ScalingReport r) {
            return save(scaling(r), dir.resolve("scaling.png"));
        }
        if (report instanceof NatReport r) {
            return save(nat(r), dir.resolve("nat-paths.png"));
        }
        SwarmReport r = (SwarmReport) report;
        JFreeChart chart = ChartFactory.createXYLineChart(
                "Swarm completion (" + r.nodes() + " downloaders) against the Kumar-Ross bound",
                "time (s)", "share of downloaders complete", cdf("downloaders", r.completionSeconds()),
                PlotOrientation.VERTICAL, false, false, false);
        ValueMarker bound = new ValueMarker(r.boundSeconds(), Color.RED, new BasicStroke(2f));
        bound.setLabel(String.format("bound %.1f s", r.boundSeconds()));
        chart.getXYPlot().addDomainMarker(bound);
        return save(chart, dir.resolve("swarm-completion.png"));
    }

    /** How pairs connected, per kinds of getter and sharer: a stacked bar of path shares each. */
    private static JFreeChart nat(NatReport r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (NatKind getter : NatKind.values()) {
            for (NatKind sharer : NatKind.values()) {
                List<NatReport.PairSample> some = r.between(getter, sharer);
                for (NatReport.Path path : NatReport.Path.values()) {
                    data.addValue(NatReport.share(some, path), path.name().toLowerCase(Locale.ROOT), getter + " -> " + sharer);
                }
            }
        }
        return ChartFactory.createStackedBarChart("How getters reach sharers (" + r.nodes() + " nodes)",
                "getter -> sharer", "share of pairs", data, PlotOrientation.HORIZONTAL, true, false, false);
    }

    /**
     * RPCs per lookup (left axis) with the fitted a + b log2 N, and success (right axis), against N on a log
     * axis: a log N cost is a straight line here.
     */
    private static JFreeChart scaling(ScalingReport r) {
        XYSeries rpcs = new XYSeries("RPCs per lookup (mean)");
        XYSeries fit = new XYSeries("fit: a + b log2 N");
        XYSeries success = new XYSeries("success");
        ScalingReport.Fit f = r.logFit();
        for (LookupReport run : r.runs()) {
            rpcs.add(run.nodes(), ScalingReport.meanRpcs(run));
            if (Double.isFinite(f.slope())) {
                fit.add(run.nodes(), f.at(Math.log(run.nodes()) / Math.log(2)));
            }
            success.add(run.nodes(), 100 * run.successRate());
        }
        XYSeriesCollection cost = new XYSeriesCollection(rpcs);
        cost.addSeries(fit);
        JFreeChart chart = ChartFactory.createXYLineChart(String.format(
                "Lookups against network size: RPCs = %.2f + %.3f log2 N (R² %.3f)", f.intercept(), f.slope(), f.r2()),
                "nodes (log scale)", "RPCs per lookup", cost, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis nodes = new LogAxis("nodes (log scale)");
        nodes.setBase(10);
        nodes.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setDomainAxis(nodes);
        NumberAxis successAxis = new NumberAxis("success (%)");
        successAxis.setRange(0, 100.5);
        plot.setRangeAxis(1, successAxis);
        plot.setDataset(1, new XYSeriesCollection(success));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer right = new XYLineAndShapeRenderer(true, true);
        right.setSeriesPaint(0, new Color(0, 140, 0));
        plot.setRenderer(1, right);
        XYLineAndShapeRenderer left = new XYLineAndShapeRenderer(true, true);
        left.setSeriesShapesVisible(1, false);
        plot.setRenderer(0, left);
        return chart;
    }

    /** Empirical CDF as a step curve; infinite values (never finished) are left out. */
    private static XYSeriesCollection cdf(String name, double[] values) {
        double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        XYSeries series = new XYSeries(name, false, true);
        series.add(0, 0);
        for (int i = 0; i < sorted.length; i++) {
            series.add(sorted[i], (double) i / values.length);
            series.add(sorted[i], (double) (i + 1) / values.length);
        }
        return new XYSeriesCollection(series);
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
