package dev.kadshare.simulation.scenario;

import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.nat.NatKind;
import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.LookupSample;
import dev.kadshare.simulation.report.NatReport;
import dev.kadshare.simulation.report.NatReport.Path;
import dev.kadshare.simulation.report.NatReport.PairSample;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Getters and sharers behind NATs, as the daemon connects them: the network is built with hosts behind routers
 * ({@code VirtualNetwork}'s NAT model), sharers announce, the network idles, then each getter looks the sharer up
 * and dials it; a dial that does not get through asks the nodes storing the announcement to introduce it (the DHT's
 * own rendezvous) and both ends open a TCP connection to each other at once (hole punching); what still fails goes
 * through a relay, a node that judged itself open (relaying is on by default there). The DHT's code runs for real:
 * each node's mapping verdict, the announcements' source addresses, the keepalives that hold the sharers' routers
 * open and the introductions. TCP is modelled only as far as NATs decide it.
 */
public final class NatScenario {
    /** The port every host listens on, for TCP and UDP alike (as the model's hosts bind one). */
    private static final int PORT = 6881;

    private NatScenario() {}

    public static NatReport run(VirtualCluster cluster, NatSettings settings) {
        CostMeter cost = CostMeter.start();
        LookupSettings lookup = settings.lookup();
        SplittableRandom random = new SplittableRandom(lookup.seed() ^ 0x4A7_0000L);
        List<String> cutShort = new ArrayList<>();
        NetworkBuilder.Built built = NetworkBuilder.build(cluster, lookup.nodes(), lookup.joinConcurrency(), random,
                lookup.timeout(), node -> cluster.natOf(node) == NatKind.OPEN);
        if (built.timedOut()) {
            cutShort.add("joining");
        }
        LookupScenario.check(lookup, built, cutShort);
        Map<Integer, List<Introduction>> introductions = new HashMap<>();
        for (SimNode node : cluster.nodes()) {
            cluster.call(node, dht -> {
                dht.onIntroduction(i -> introductions.computeIfAbsent(node.id(), n -> new ArrayList<>()).add(i));
                return CompletableFuture.completedFuture(null);
            });
        }
        List<KeyHolder> keys = LookupScenario.announce(cluster, lookup, random, cutShort);
        cost.networkBuilt(lookup.nodes());
        cluster.virtualClock().runFor(settings.idle());
        List<SimNode> relays = cluster.nodes().stream().filter(n -> judged(n).equals(NatKind.OPEN.name())).toList();
        List<PairSample> pairs = connect(cluster, settings, keys, relays, introductions, random, cutShort);
        LookupScenario.check(lookup, built, cutShort);
        return new NatReport(lookup.nodes(), built.joined(), cutShort, lookup.seed(), kinds(cluster), verdicts(cluster),
                pairs, cluster.droppedAtNat(), cost.stop());
    }

    private static List<PairSample> connect(VirtualCluster cluster, NatSettings settings, List<KeyHolder> keys,
                                            List<SimNode> relays, Map<Integer, List<Introduction>> introductions,
                                            SplittableRandom random, List<String> cutShort) {
        List<SimNode> nodes = List.copyOf(cluster.nodes());
        int[] order = LookupScenario.permutation(nodes.size(), random);
        int[] keyOf = random.ints(settings.pairs(), 0, keys.size()).toArray();
        SimNode[] getters = new SimNode[settings.pairs()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = nodes.get(order[i % order.length]);
            if (getters[i] == keys.get(keyOf[i]).holder()) {
                getters[i] = nodes.get(order[(i + order.length / 2) % order.length]);
            }
        }
        PairSample[] samples = new PairSample[settings.pairs()];
        boolean finished = cluster.await(Throttle.run(samples.length, settings.lookup().lookupConcurrency(), i -> {
            KeyHolder target = keys.get(keyOf[i]);
            SimNode sharer = target.holder();
            SimNode g = getters[i];
            InetSocketAddress at = sharer.address();
            return LookupProbe.run(cluster, g, target).thenCompose(lookup -> {
                if (!lookup.success()) {
                    return CompletableFuture.completedFuture(new PairSample(
                            cluster.natOf(g), cluster.natOf(sharer), lookup, false, Path.NOT_FOUND));
                }
                if (cluster.connects(g, at)) {
                    return CompletableFuture.completedFuture(new PairSample(
                            cluster.natOf(g), cluster.natOf(sharer), lookup, false, Path.DIRECT));
                }
                return cluster.call(g, dht -> dht.requestIntroduction(target.key(), at, PORT)).handle((n, e) -> {
                    InetSocketAddress getterSeen = new InetSocketAddress(g.address().getAddress(), PORT);
                    boolean introduced = introductions.getOrDefault(sharer.id(), List.of()).stream()
                            .anyMatch(intro -> intro.getter().equals(getterSeen));
                    Path path = introduced && cluster.punches(g, at, sharer, getterSeen) ? Path.PUNCHED
                            : relayed(cluster, g, sharer, relays, i) ? Path.RELAYED : Path.FAILED;
                    return new PairSample(cluster.natOf(g), cluster.natOf(sharer), lookup, introduced, path);
                });
            }).thenAccept(s -> samples[i] = s);
        }), settings.lookup().timeout());
        if (!finished) {
            cutShort.add("connecting");
        }
        List<PairSample> all = new ArrayList<>(samples.length);
        for (int i = 0; i < samples.length; i++) {
            all.add(samples[i] != null ? samples[i] : new PairSample(cluster.natOf(getters[i]),
                    cluster.natOf(keys.get(keyOf[i]).holder()), new LookupSample(false, 0, 0, 0), false, Path.FAILED));
        }
        return all;
    }

    /** Both ends dial the relay (one of the open nodes, spread by pair) and it joins their streams. */
    private static boolean relayed(VirtualCluster cluster, SimNode getter, SimNode sharer, List<SimNode> relays, int pair) {
        if (relays.isEmpty()) {
            return false;
        }
        SimNode relay = relays.get(pair % relays.size());
        return cluster.connects(getter, relay.address()) && cluster.connects(sharer, relay.address());
    }

    private static String judged(SimNode node) {
        return node.dht().status().reachability().mapping().name();
    }

    private static Map<NatKind, Integer> kinds(VirtualCluster cluster) {
        Map<NatKind, Integer> kinds = new EnumMap<>(NatKind.class);
        cluster.nodes().forEach(n -> kinds.merge(cluster.natOf(n), 1, Integer::sum));
        return kinds;
    }

    private static Map<NatKind, Map<String, Integer>> verdicts(VirtualCluster cluster) {
        Map<NatKind, Map<String, Integer>> verdicts = new EnumMap<>(NatKind.class);
        for (SimNode n : cluster.nodes()) {
            verdicts.computeIfAbsent(cluster.natOf(n), k -> new TreeMap<>()).merge(judged(n), 1, Integer::sum);
        }
        return verdicts;
    }
}
