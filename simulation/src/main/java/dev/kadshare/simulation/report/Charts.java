package dev.kadshare.simulation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
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
