package dev.kadshare.simulation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kadshare.simulation.nat.NatKind;
import java.util.List;
import java.util.Map;

/** The report as one JSON object, fields in the order the issue lists them; {@code cost} last. */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {}

    public static String of(Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("scenario", report.scenario());
        root.put("mode", report.mode());
        root.put("nodes", report.nodes());
        if (report instanceof LookupReport r) {
            root.put("joined", r.joined());
            r.cutShort().forEach(root.putArray("cutShort")::add);
        } else if (report instanceof NatReport r) {
            root.put("joined", r.joined());
            r.cutShort().forEach(root.putArray("cutShort")::add);
        }
        root.put("seed", report.seed());
        if (report instanceof AttackReport r) {
            attack(root, r);
        }
        if (report instanceof LookupReport r) {
            root.put("lookups", r.samples().size());
            root.put("successRate", round(r.successRate(), 6));
            summary(root.putObject("hops"), r.hops());
            summary(root.putObject("rpcsPerLookup"), r.rpcsPerLookup());
            ObjectNode latency = root.putObject("latencyMs");
            latency.put("median", round(r.latencyMs().median(), 3));
            latency.put("p95", round(r.latencyMs().p95(), 3));
            if (r.medianRttMs() > 0) {
                root.put("medianRttMs", round(r.medianRttMs(), 3));
                ObjectNode ratio = root.putObject("latencyPerHopRtt");
                ratio.put("median", round(r.latencyPerHopRtt().median(), 3));
                ratio.put("p95", round(r.latencyPerHopRtt().p95(), 3));
            }
        } else if (report instanceof ScalingReport r) {
            var runs = root.putArray("runs");
            for (LookupReport run : r.runs()) {
                ObjectNode o = runs.addObject();
                o.put("nodes", run.nodes());
                o.put("joined", run.joined());
                o.put("lookups", run.samples().size());
                o.put("successRate", round(run.successRate(), 6));
                o.put("rpcsPerLookupMean", round(ScalingReport.meanRpcs(run), 3));
                summary(o.putObject("rpcsPerLookup"), run.rpcsPerLookup());
                summary(o.putObject("hops"), run.hops());
                o.put("latencyMsMedian", round(run.latencyMs().median(), 3));
                o.put("wallSeconds", round(run.cost().wallSeconds(), 2));
                o.put("heapBytesPerNode", run.cost().heapBytesPerNode());
            }
            fit(root.putObject("rpcsFitLog2N"), r.logFit());
            fit(root.putObject("rpcsFitLinearN"), r.linearFit());
        } else if (report instanceof NatReport r) {
            nat(root, r);
        } else if (report instanceof SwarmReport r) {
            root.put("fileBytes", r.fileBytes());
            ObjectNode completion = root.putObject("completionSeconds");
            completion.put("median", round(r.completion().median(), 3));
            completion.put("max", round(r.completion().max(), 3));
            root.put("boundSeconds", round(r.boundSeconds(), 3));
            root.put("boundRatio", round(r.boundRatio(), 4));
        }
        ObjectNode cost = root.putObject("cost");
        cost.put("wallSeconds", round(report.cost().wallSeconds(), 2));
        cost.put("peakHeapBytes", report.cost().peakHeapBytes());
        cost.put("heapBytesPerNode", report.cost().heapBytesPerNode());
        if (!report.cost().heapTop().isEmpty()) {
            var top = cost.putArray("heapTop");
            for (HeapHistogram.Entry e : report.cost().heapTop()) {
                ObjectNode o = top.addObject();
                o.put("class", e.className());
                o.put("instances", e.instances());
                o.put("bytes", e.bytes());
                o.put("bytesPerNode", e.bytes() / Math.max(1, report.nodes()));
            }
        }
        return root.toString();
    }

    /** Hosts by kind and how each kind judged itself; pairs by path, overall and by the kinds of getter and sharer. */
    private static void nat(ObjectNode root, NatReport r) {
        ObjectNode hosts = root.putObject("hosts");
        for (NatKind kind : NatKind.values()) {
            ObjectNode o = hosts.putObject(kind.name());
            o.put("count", r.kinds().getOrDefault(kind, 0));
            r.judged().getOrDefault(kind, Map.of()).forEach(o.putObject("judged")::put);
            o.put("judgedRight", round(r.judgedRight(kind), 4));
        }
        root.put("pairs", r.pairs().size());
        LookupReport lookups = r.lookups();
        ObjectNode lookup = root.putObject("lookups");
        lookup.put("successRate", round(lookups.successRate(), 6));
        summary(lookup.putObject("hops"), lookups.hops());
        summary(lookup.putObject("rpcsPerLookup"), lookups.rpcsPerLookup());
        ObjectNode latency = lookup.putObject("latencyMs");
        latency.put("median", round(lookups.latencyMs().median(), 3));
        latency.put("p95", round(lookups.latencyMs().p95(), 3));
        paths(root.putObject("paths"), r.pairs());
        ObjectNode byKinds = root.putObject("pathsByKinds");
        for (NatKind getter : NatKind.values()) {
            for (NatKind sharer : NatKind.values()) {
                List<NatReport.PairSample> some = r.between(getter, sharer);
                if (!some.isEmpty()) {
                    ObjectNode o = byKinds.putObject(getter + "->" + sharer);
                    o.put("pairs", some.size());
                    paths(o, some);
                }
            }
        }
        root.put("introduced", round((double) r.pairs().stream().filter(NatReport.PairSample::introduced).count()
                / Math.max(1, r.pairs().size()), 4));
        root.put("droppedAtNat", r.droppedAtNat());
    }

    private static void paths(ObjectNode node, List<NatReport.PairSample> pairs) {
        for (NatReport.Path path : NatReport.Path.values()) {
            node.put(path.name().toLowerCase(java.util.Locale.ROOT), round(NatReport.share(pairs, path), 4));
        }
    }

    /** The headline figures first (successRate, recordSuccessRate, amplification, attackerStoreShare), then per attack. */
    private static void attack(ObjectNode root, AttackReport r) {
        root.put("joined", r.joined());
        root.put("adversaries", r.adversaryFraction());
        root.put("adversaryNodes", r.adversaries());
        root.put("idRule", r.idRule());
        root.put("successRate", round(r.eclipse().successRate(), 6));
        root.put("recordSuccessRate", round(r.flood().recordSuccessRate(), 6));
        root.put("amplification", round(r.spoof().amplification(), 4));
        root.put("attackerStoreShare", round(r.flood().attackerStoreShare(), 6));
        ObjectNode attacks = root.putObject("attacks");
        ObjectNode eclipse = attacks.putObject("eclipse");
        eclipse.put("targetKeys", r.eclipse().targetKeys());
        eclipse.put("lookups", r.eclipse().lookups());
        eclipse.put("successRate", round(r.eclipse().successRate(), 6));
        summary(eclipse.putObject("hops"), r.eclipse().hops());
        summary(eclipse.putObject("rpcsPerLookup"), r.eclipse().rpcsPerLookup());
        eclipse.put("lookupsEndedByABound", r.eclipse().lookupsBounded());
        ObjectNode flood = attacks.putObject("flood");
        flood.put("flooderIps", r.flood().flooders());
        flood.put("keywordKeys", r.flood().keywordKeys());
        flood.put("searches", r.flood().searches());
        flood.put("recordSuccessRate", round(r.flood().recordSuccessRate(), 6));
        flood.put("attackerStoreShare", round(r.flood().attackerStoreShare(), 6));
        flood.put("storesRefused", r.flood().refusedStores());
        flood.put("storesEvicted", r.flood().evicted());
        ObjectNode spoof = attacks.putObject("spoof");
        spoof.put("datagrams", r.spoof().datagrams());
        spoof.put("bytesFromVictim", r.spoof().bytesIn());
        spoof.put("bytesToVictim", r.spoof().bytesOut());
        spoof.put("amplification", round(r.spoof().amplification(), 4));
    }

    private static void fit(ObjectNode node, ScalingReport.Fit f) {
        node.put("intercept", round(f.intercept(), 4));
        node.put("slope", round(f.slope(), 6));
        node.put("r2", round(f.r2(), 4));
    }

    private static void summary(ObjectNode node, Summary s) {
        node.put("median", round(s.median(), 3));
        node.put("p95", round(s.p95(), 3));
        node.put("max", round(s.max(), 3));
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
