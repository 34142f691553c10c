package dev.kadshare.simulation.report;

import dev.kadshare.simulation.nat.NatKind;
import java.util.List;
import java.util.Map;

/**
 * A NAT run: how each kind of host judged its own mapping, and how getter/sharer pairs connected: directly (the
 * sharer is open), through a punched hole (introduced by a node storing the sharer's announcement), through a relay
 * (a public node), or not at all.
 *
 * @param judged by true kind, how many nodes judged their mapping as each verdict (the DHT's own classifier)
 * @param pairs  one per getter/sharer pair, in the order run
 */
public record NatReport(int nodes, int joined, List<String> cutShort, long seed, Map<NatKind, Integer> kinds,
                        Map<NatKind, Map<String, Integer>> judged, List<PairSample> pairs, long droppedAtNat,
                        Cost cost) implements Report {
    /** How one getter reached one sharer. */
    public enum Path { NOT_FOUND, DIRECT, PUNCHED, RELAYED, FAILED }

    /**
     * One pair: the NAT kinds of getter and sharer, the getter's GET_PEERS lookup of the sharer's key, whether the
     * sharer was introduced to the getter, and the path.
     */
    public record PairSample(NatKind getter, NatKind sharer, LookupSample lookup, boolean introduced, Path path) {}

    public NatReport {
        cutShort = List.copyOf(cutShort);
        kinds = Map.copyOf(kinds);
        judged = Map.copyOf(judged);
        pairs = List.copyOf(pairs);
    }

    @Override
    public String scenario() {
        return "nat";
    }

    @Override
    public String mode() {
        return "virtual";
    }

    /** The getters' lookups of the sharers' keys, as {@link LookupReport} gives them (hops, RPCs, latency). */
    public LookupReport lookups() {
        return new LookupReport(scenario(), mode(), nodes, joined, cutShort, seed,
                pairs.stream().map(PairSample::lookup).toList(), 0, cost);
    }

    /** Share of pairs connected by {@code path}. */
    public double share(Path path) {
        return share(pairs, path);
    }

    /** Share of {@code some} pairs connected by {@code path}; 0 of none. */
    public static double share(List<PairSample> some, Path path) {
        return some.isEmpty() ? 0 : (double) some.stream().filter(p -> p.path() == path).count() / some.size();
    }

    /** The pairs of a getter of one kind and a sharer of another. */
    public List<PairSample> between(NatKind getter, NatKind sharer) {
        return pairs.stream().filter(p -> p.getter() == getter && p.sharer() == sharer).toList();
    }

    /** Share of nodes behind a NAT of {@code kind} (or open) whose own verdict is exactly that. */
    public double judgedRight(NatKind kind) {
        Map<String, Integer> verdicts = judged.getOrDefault(kind, Map.of());
        int all = verdicts.values().stream().mapToInt(Integer::intValue).sum();
        return all == 0 ? 0 : (double) verdicts.getOrDefault(kind.name(), 0) / all;
    }
}
