package dev.kadshare.simulation.scenario;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.LookupReport;
import dev.kadshare.simulation.report.LookupSample;
import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lookups while nodes come and go (virtual mode). Every node leaves when its Weibull session ends and a
 * fresh node (new id, new address) joins in its place, so the population stays constant. Content stays
 * available: the keys a leaver held pass to its replacement, which announces them once bootstrapped,
 * and the DHT itself renews every announcement before it expires where it is stored, as in production.
 * Lookups are spread evenly over the run, for keys whose holder has announced.
 */
public final class ChurnScenario {
    private final VirtualCluster cluster;
    private final ChurnSettings settings;
    private final VirtualClock clock;
    private final SessionModel sessions;
    private final SplittableRandom random;
    private final List<KeyHolder> keys = new ArrayList<>();
    private final List<Boolean> announced = new ArrayList<>();
    private final Map<Integer, List<Integer>> keysHeldBy = new HashMap<>();

    private ChurnScenario(VirtualCluster cluster, ChurnSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
        this.clock = cluster.virtualClock();
        this.sessions = new SessionModel(settings.sessionShape(), settings.sessionMedian());
        this.random = new SplittableRandom(settings.lookup().seed() ^ 0xC4_0000L);
    }

    public static LookupReport run(VirtualCluster cluster, ChurnSettings settings) {
        return new ChurnScenario(cluster, settings).run();
    }

    private LookupReport run() {
        LookupSettings s = settings.lookup();
        CostMeter cost = CostMeter.start();
        List<String> cutShort = new ArrayList<>();
        NetworkBuilder.Built built = LookupScenario.build(cluster, s, random, cutShort);
        for (KeyHolder k : LookupScenario.announce(cluster, s, random, cutShort)) {
            hold(keys.size(), k);
            keys.add(k);
            announced.add(true);
        }
        cost.networkBuilt(s.nodes());
        for (SimNode node : List.copyOf(cluster.nodes())) {
            scheduleDeparture(node);
        }
        LookupSample[] samples = new LookupSample[s.lookups()];
        AtomicInteger finished = new AtomicInteger();
        long spacing = settings.duration().toNanos() / Math.max(1, s.lookups());
        for (int i = 0; i < samples.length; i++) {
            int index = i;
            clock.scheduleNanos(spacing * i, () -> {
                KeyHolder target = pickKey();
                LookupProbe.run(cluster, initiator(target.holder()), target).thenAccept(sample -> {
                    samples[index] = sample;
                    finished.incrementAndGet();
                });
            });
        }
        if (!clock.runUntil(() -> finished.get() == samples.length, settings.duration().plus(s.timeout()))) {
            cutShort.add("lookups");
        }
        LookupScenario.check(s, built, cutShort);
        List<LookupSample> out = Arrays.stream(samples)
                .map(x -> x == null ? new LookupSample(false, 0, 0, 0) : x).toList();
        return new LookupReport("churn", cluster.mode(), s.nodes(), built.joined(), cutShort, s.seed(), out,
                cluster.medianRoundTripMillis(), cost.stop());
    }

    private void hold(int keyIndex, KeyHolder k) {
        keysHeldBy.computeIfAbsent(k.holder().id(), h -> new ArrayList<>()).add(keyIndex);
    }

    private void scheduleDeparture(SimNode node) {
        clock.schedule(sessions.next(random), () -> depart(node));
    }

    private void depart(SimNode node) {
        cluster.stop(node);
        SimNode newcomer = cluster.start();
        scheduleDeparture(newcomer);
        List<Integer> held = keysHeldBy.remove(node.id());
        if (held != null) {
            for (int i : held) {
                KeyHolder k = new KeyHolder(keys.get(i).key(), newcomer);
                keys.set(i, k);
                announced.set(i, false);
                hold(i, k);
            }
        }
        NetworkBuilder.join(cluster, newcomer, random).whenComplete((size, failure) -> {
            if (held != null && cluster.isLive(newcomer)) {
                held.forEach(i -> announce(i, newcomer));
            }
        });
    }

    private void announce(int keyIndex, SimNode holder) {
        NodeId key = keys.get(keyIndex).key();
        holder.dht().announce(key, holder.address().getPort()).whenComplete((accepted, failure) -> {
            if (keys.get(keyIndex).holder() == holder) {
                announced.set(keyIndex, true);
            }
        });
    }

    /** A random key whose holder has announced it (holders are always up); any key if none has. */
    private KeyHolder pickKey() {
        for (int attempt = 0; attempt < 100 * keys.size(); attempt++) {
            int i = random.nextInt(keys.size());
            if (announced.get(i)) {
                return keys.get(i);
            }
        }
        return keys.get(random.nextInt(keys.size()));
    }

    /** A random live node other than {@code holder} (which would find itself in its own store). */
    private SimNode initiator(SimNode holder) {
        List<SimNode> nodes = cluster.nodes();
        while (true) {
            SimNode n = nodes.get(random.nextInt(nodes.size()));
            if (n != holder) {
                return n;
            }
        }
    }
}
