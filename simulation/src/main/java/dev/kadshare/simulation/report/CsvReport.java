package dev.kadshare.simulation.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The raw samples of a run as CSV: one row per lookup, or one per downloader. */
public final class CsvReport {
    private CsvReport() {}

    /** Writes {@code SCENARIO-samples.csv} into {@code dir} and returns its path. */
    public static Path write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(report.scenario() + "-samples.csv");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            if (report instanceof LookupReport r) {
                out.println("lookup,success,hops,rpcs,latencyMs");
                List<LookupSample> samples = r.samples();
                for (int i = 0; i < samples.size(); i++) {
                    LookupSample s = samples.get(i);
                    out.printf(Locale.ROOT, "%d,%b,%d,%d,%.3f%n", i, s.success(), s.hops(), s.rpcs(), s.latencyMs());
                }
            } else if (report instanceof ScalingReport r) {
                out.println("nodes,joined,lookups,successRate,rpcsMean,rpcsMedian,rpcsP95,hopsMedian,latencyMsMedian");
                for (LookupReport run : r.runs()) {
                    out.printf(Locale.ROOT, "%d,%d,%d,%.6f,%.3f,%.1f,%.1f,%.1f,%.3f%n", run.nodes(), run.joined(),
                            run.samples().size(), run.successRate(), ScalingReport.meanRpcs(run),
                            run.rpcsPerLookup().median(), run.rpcsPerLookup().p95(), run.hops().median(),
                            run.latencyMs().median());
                }
            } else if (report instanceof NatReport r) {
                out.println("pair,getter,sharer,introduced,path,hops,rpcs,latencyMs");
                List<NatReport.PairSample> pairs = r.pairs();
                for (int i = 0; i < pairs.size(); i++) {
                    NatReport.PairSample p = pairs.get(i);
                    out.printf(Locale.ROOT, "%d,%s,%s,%b,%s,%d,%d,%.3f%n", i, p.getter(), p.sharer(), p.introduced(),
                            p.path(), p.lookup().hops(), p.lookup().rpcs(), p.lookup().latencyMs());
                }
            } else if (report instanceof SwarmReport r) {
                out.println("downloader,completionSeconds");
                double[] completion = r.completionSeconds();
                for (int i = 0; i < completion.length; i++) {
                    out.printf(Locale.ROOT, "%d,%.6f%n", i + 1, completion[i]);
                }
            }
        }
        return file;
    }
}
