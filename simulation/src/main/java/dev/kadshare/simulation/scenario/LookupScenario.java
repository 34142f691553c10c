package dev.kadshare.simulation.scenario;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.LookupReport;
import dev.kadshare.simulation.report.LookupSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lookups in a still network: build it, have random nodes announce random keys, then look each key up
 * from other random nodes and check that the holder is found.
 */
public final class LookupScenario {
    private LookupScenario() {}

    public static LookupReport run(Cluster cluster, LookupSettings settings) {
        CostMeter cost = CostMeter.start();
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0x5EED_1000L);
        List<String> cutShort = new ArrayList<>();
        NetworkBuilder.Built built = build(cluster, settings, random, cutShort);
        List<KeyHolder> keys = announce(cluster, settings, random, cutShort);
        cost.networkBuilt(settings.nodes());
        List<LookupSample> samples = lookups(cluster, keys, settings, random, cutShort);
        check(settings, built, cutShort);
        return new LookupReport("lookup", cluster.mode(), settings.nodes(), built.joined(), cutShort, settings.seed(),
                samples, cluster.medianRoundTripMillis(), cost.stop());
    }

    /** Builds the network; a partial one ends the run here unless it may be partial. */
    static NetworkBuilder.Built build(Cluster cluster, LookupSettings settings, SplittableRandom random,
                                      List<String> cutShort) {
        NetworkBuilder.Built built = NetworkBuilder.build(cluster, settings.nodes(), settings.joinConcurrency(), random,
                settings.timeout());
        if (built.timedOut()) {
            cutShort.add("joining");
        }
        check(settings, built, cutShort);
        return built;
    }

    /** Throws unless the run is whole or may be partial. */
    static void check(LookupSettings settings, NetworkBuilder.Built built, List<String> cutShort) {
        if (settings.allowPartial() || (built.complete() && cutShort.isEmpty())) {
            return;
        }
        throw new IncompleteRunException(built.joined() + " of " + built.nodes() + " nodes joined"
                + (cutShort.isEmpty() ? "" : "; out of time (" + settings.timeout().toSeconds() + " s): "
                + String.join(", ", cutShort))
                + ". Raise --timeout-s, or measure the partial network with --allow-partial");
    }

    /** Random nodes announce random keys; returns the keys with their holders. */
    static List<KeyHolder> announce(Cluster cluster, LookupSettings settings, SplittableRandom random,
                                    List<String> cutShort) {
        List<SimNode> nodes = cluster.nodes();
        List<KeyHolder> keys = new ArrayList<>();
        for (int i = 0; i < settings.keys(); i++) {
            keys.add(new KeyHolder(NodeId.random(random), nodes.get(random.nextInt(nodes.size()))));
        }
        if (!cluster.await(Throttle.run(keys.size(), settings.lookupConcurrency(), i -> {
            KeyHolder k = keys.get(i);
            return cluster.call(k.holder(), dht -> dht.announce(k.key(), k.holder().address().getPort()));
        }), settings.timeout())) {
            cutShort.add("announcing");
        }
        return keys;
    }

    /** Initiators walk a random permutation of the nodes, so lookups spread evenly over them. */
    private static List<LookupSample> lookups(Cluster cluster, List<KeyHolder> keys, LookupSettings settings,
                                              SplittableRandom random, List<String> cutShort) {
        List<SimNode> nodes = List.copyOf(cluster.nodes());
        int[] order = permutation(nodes.size(), random);
        int[] keyOf = random.ints(settings.lookups(), 0, keys.size()).toArray();
        LookupSample[] samples = new LookupSample[settings.lookups()];
        boolean finished = cluster.await(Throttle.run(samples.length, settings.lookupConcurrency(), i -> {
            KeyHolder target = keys.get(keyOf[i]);
            SimNode initiator = nodes.get(order[i % order.length]);
            if (initiator == target.holder()) {
                // The holder would find itself in its own store.
                initiator = nodes.get(order[(i + order.length / 2) % order.length]);
            }
            return LookupProbe.run(cluster, initiator, target).thenAccept(s -> samples[i] = s);
        }), settings.timeout());
        if (!finished) {
            cutShort.add("lookups");
        }
        return Arrays.stream(samples).map(s -> s == null ? new LookupSample(false, 0, 0, 0) : s).toList();
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
