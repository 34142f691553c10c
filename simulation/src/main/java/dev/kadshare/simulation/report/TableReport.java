package dev.kadshare.simulation.report;

import dev.kadshare.simulation.nat.NatKind;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The report as an aligned table for people. */
public final class TableReport {
    private TableReport() {}

    public static void print(Report report, PrintStream out) {
        out.printf("%-18s %s%n", "scenario", report.scenario());
        out.printf("%-18s %s%n", "mode", report.mode());
        out.printf("%-18s %d%n", "nodes", report.nodes());
        out.printf("%-18s %d%n", "seed", report.seed());
        if (report instanceof LookupReport r) {
            out.printf("%-18s %d of %d%n", "joined", r.joined(), r.nodes());
            if (!r.cutShort().isEmpty()) {
                out.printf("%-18s %s%n", "out of time", String.join(", ", r.cutShort()));
            }
            out.printf("%-18s %d%n", "lookups", r.samples().size());
            out.printf("%-18s %.2f %%%n", "success", 100 * r.successRate());
            out.printf("%-18s %10s %10s %10s%n", "", "median", "p95", "max");
            row(out, "hops", r.hops());
            row(out, "rpcs per lookup", r.rpcsPerLookup());
            row(out, "latency (ms)", r.latencyMs());
            if (r.medianRttMs() > 0) {
                row(out, "latency/(hops*rtt)", r.latencyPerHopRtt());
            }
        } else if (report instanceof ScalingReport r) {
            out.printf("%10s %8s %9s %10s %10s %8s%n", "nodes", "joined", "success", "rpcs mean", "rpcs p95", "hops");
            for (LookupReport run : r.runs()) {
                out.printf("%10d %8d %8.2f%% %10.2f %10.1f %8.1f%n", run.nodes(), run.joined(), 100 * run.successRate(),
                        ScalingReport.meanRpcs(run), run.rpcsPerLookup().p95(), run.hops().median());
            }
            ScalingReport.Fit log = r.logFit();
            out.printf("%-18s rpcs = %.2f + %.3f log2 N (R^2 %.4f); linear in N: R^2 %.4f%n", "fit", log.intercept(),
                    log.slope(), log.r2(), r.linearFit().r2());
        } else if (report instanceof NatReport r) {
            out.printf("%-18s %d of %d%n", "joined", r.joined(), r.nodes());
            if (!r.cutShort().isEmpty()) {
                out.printf("%-18s %s%n", "out of time", String.join(", ", r.cutShort()));
            }
            for (NatKind kind : NatKind.values()) {
                out.printf("%-18s %d hosts, %.1f %% judged so, verdicts %s%n", kind.name().toLowerCase(Locale.ROOT),
                        r.kinds().getOrDefault(kind, 0), 100 * r.judgedRight(kind), r.judged().getOrDefault(kind, Map.of()));
            }
            out.printf("%-18s %d%n", "pairs", r.pairs().size());
            LookupReport lookups = r.lookups();
            out.printf("%-18s %10s %10s %10s%n", "getters' lookups", "median", "p95", "max");
            row(out, "hops", lookups.hops());
            row(out, "rpcs per lookup", lookups.rpcsPerLookup());
            row(out, "latency (ms)", lookups.latencyMs());
            for (NatReport.Path path : NatReport.Path.values()) {
                out.printf("%-18s %.2f %%%n", "  " + path.name().toLowerCase(Locale.ROOT), 100 * r.share(path));
            }
        } else if (report instanceof AttackReport r) {
            out.printf("%-18s %d of %d%n", "joined", r.joined(), r.nodes());
            out.printf("%-18s %.3f (%d nodes, id rule: %s)%n", "adversaries", r.adversaryFraction(), r.adversaries(),
                    r.idRule());
            out.printf("%-18s %.2f %% of %d GET_PEERS found an honest announcer%n", "eclipse", 100 * r.eclipse().successRate(),
                    r.eclipse().lookups());
            out.printf("%-18s %10s %10s %10s%n", "", "median", "p95", "max");
            row(out, "hops (found)", r.eclipse().hops());
            row(out, "rpcs per lookup", r.eclipse().rpcsPerLookup());
            out.printf("%-18s %.2f %% of %d searches kept the honest record, flood from %d IPs; attackers hold %.2f %% of "
                    + "stored entries%n", "flood", 100 * r.flood().recordSuccessRate(), r.flood().searches(),
                    r.flood().flooders(), 100 * r.flood().attackerStoreShare());
            out.printf("%-18s %d spoofed requests: %d bytes in, %d out to the victim, amplification %.3f%n", "spoof",
                    r.spoof().datagrams(), r.spoof().bytesIn(), r.spoof().bytesOut(), r.spoof().amplification());
        } else if (report instanceof SwarmReport r) {
            out.printf("%-18s %d%n", "file bytes", r.fileBytes());
            out.printf("%-18s %10s %10s%n", "", "median", "max");
            out.printf("%-18s %10.2f %10.2f%n", "completion (s)", r.completion().median(), r.completion().max());
            out.printf("%-18s %.2f s%n", "bound (Kumar-Ross)", r.boundSeconds());
            out.printf("%-18s %.3f%n", "last / bound", r.boundRatio());
        }
        Cost c = report.cost();
        out.printf("%-18s %.1f s wall, peak heap %d MiB, %d KiB heap per node%n", "cost", c.wallSeconds(),
                c.peakHeapBytes() >> 20, c.heapBytesPerNode() >> 10);
        for (HeapHistogram.Entry e : c.heapTop()) {
            out.printf("%-18s %,14d bytes %,8d per node  %s%n", "  heap", e.bytes(), e.bytes() / Math.max(1, report.nodes()),
                    e.className());
        }
    }

    private static void row(PrintStream out, String name, Summary s) {
        out.printf("%-18s %10.1f %10.1f %10.1f%n", name, s.median(), s.p95(), s.max());
    }
}
