package dev.kadshare.simulation.scenario;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.simulation.attack.Adversary;
import dev.kadshare.simulation.attack.Colluders;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.report.AttackReport;
import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.LookupSample;
import dev.kadshare.simulation.report.Summary;
import dev.kadshare.simulation.virtual.VirtualCluster;
import dev.kadshare.simulation.virtual.VirtualNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The real DHT code in virtual time with a fraction of adversarial nodes ({@link Adversary}): the eclipse of target keys
 * by liars next to them, a flood of keyword keys and target keys from a few IPs, and spoofed requests. Adversaries are
 * in the network from the start and lie from the start (the build too).
 */
public final class AttackScenario {
    /** Virtual time the flood and the spoofed requests are given to land and be answered. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Spoofed datagrams sent per batch, one batch every 100 ms of virtual time. */
    private static final int SPOOF_BATCH = 100;

    private AttackScenario() {}

    public static AttackReport run(VirtualCluster cluster, AttackSettings settings) {
        CostMeter cost = CostMeter.start();
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0xA77AC4L);
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < settings.targetKeys(); i++) {
            targets.add(NodeId.random(random));
        }
        int adversaries = (int) Math.round(settings.adversaryFraction() * settings.nodes());
        Colluders colluders = new Colluders(settings.placement() == AttackSettings.Placement.NEAR_TARGETS);
        if (colluders.idsFree()) {
            cluster.idBinding(IdBinding.NOT_CHECKED); // what the network is without the id rule
        }
        Map<SimNode, Adversary> liars = new LinkedHashMap<>();
        List<SimNode> all = start(cluster, settings, adversaries, targets, colluders, liars, random);
        NetworkBuilder.Built built = NetworkBuilder.join(cluster, all, settings.joinConcurrency(), random, settings.timeout());
        List<SimNode> honest = all.stream().filter(n -> !liars.containsKey(n)).toList();
        cost.networkBuilt(settings.nodes());

        AttackReport.Eclipse eclipse = eclipse(cluster, settings, targets, honest, random);
        Set<InetAddress> attackerIps = new HashSet<>();
        liars.keySet().forEach(n -> attackerIps.add(n.address().getAddress()));
        AttackReport.Flood flood = flood(cluster, settings, targets, honest, List.copyOf(liars.values()), attackerIps,
                random);
        AttackReport.Spoof spoof = spoof(cluster, settings, honest, random);
        return new AttackReport(cluster.mode(), settings.nodes(), built.joined(), settings.seed(),
                settings.adversaryFraction(), adversaries,
                settings.placement() == AttackSettings.Placement.NEAR_TARGETS ? "none" : "bound", eclipse, flood, spoof,
                cost.stop());
    }

    /** Starts every node, adversaries at random positions of the join order (never the first). */
    private static List<SimNode> start(VirtualCluster cluster, AttackSettings settings, int adversaries, List<NodeId> targets,
                                       Colluders colluders, Map<SimNode, Adversary> liars, SplittableRandom random) {
        int[] order = LookupScenario.permutation(settings.nodes() - 1, random);
        boolean[] adversarial = new boolean[settings.nodes()];
        for (int i = 0; i < adversaries; i++) {
            adversarial[1 + order[i]] = true;
        }
        List<SimNode> all = new ArrayList<>(settings.nodes());
        int placed = 0;
        for (int i = 0; i < settings.nodes(); i++) {
            if (!adversarial[i]) {
                all.add(cluster.start());
                continue;
            }
            // Ids free, an adversary takes one next to a target; bound, the one its key and address give it.
            Optional<NodeId> id = settings.placement() == AttackSettings.Placement.NEAR_TARGETS
                    ? Optional.of(near(targets.get(placed % targets.size()), random)) : Optional.empty();
            placed++;
            Adversary[] made = new Adversary[1];
            SplittableRandom own = random.split();
            SimNode node = cluster.start(id, (core, config, address, transport) -> {
                made[0] = new Adversary(core, config, address, transport, colluders, own);
                return made[0];
            });
            colluders.add(new Contact(node.dht().id(), node.address()));
            liars.put(node, made[0]);
            all.add(node);
        }
        return all;
    }

    /** An id sharing its first 16 bytes with {@code key}: closer to it than any honest node in a network of any size. */
    static NodeId near(NodeId key, SplittableRandom random) {
        byte[] id = key.bytes();
        byte[] tail = new byte[16];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, id, 16, 16);
        return NodeId.of(id);
    }

    /** Honest nodes announce the target keys; honest nodes look them up. */
    private static AttackReport.Eclipse eclipse(VirtualCluster cluster, AttackSettings settings, List<NodeId> targets,
                                                List<SimNode> honest, SplittableRandom random) {
        List<KeyHolder> keys = targets.stream().map(k -> new KeyHolder(k, honest.get(random.nextInt(honest.size())))).toList();
        cluster.await(Throttle.run(keys.size(), settings.lookupConcurrency(), i -> cluster.call(keys.get(i).holder(),
                dht -> dht.announce(keys.get(i).key(), keys.get(i).holder().address().getPort()))), settings.timeout());
        LookupSample[] samples = new LookupSample[settings.lookups()];
        int[] keyOf = random.ints(samples.length, 0, keys.size()).toArray();
        int[] from = random.ints(samples.length, 0, honest.size()).toArray();
        cluster.await(Throttle.run(samples.length, settings.lookupConcurrency(), i -> {
            KeyHolder target = keys.get(keyOf[i]);
            SimNode initiator = honest.get(from[i]);
            if (initiator == target.holder()) {
                initiator = honest.get((from[i] + 1) % honest.size());
            }
            return LookupProbe.run(cluster, initiator, target).thenAccept(s -> samples[i] = s);
        }), settings.timeout());
        List<LookupSample> done = Arrays.stream(samples).map(s -> s == null ? new LookupSample(false, 0, 0, 0) : s).toList();
        double success = done.stream().filter(LookupSample::success).count() / (double) done.size();
        List<LookupSample> found = done.stream().filter(LookupSample::success).toList();
        long bounded = honest.stream().mapToLong(n -> n.dht().status().counters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("lookup.bounded.")).mapToLong(Map.Entry::getValue).sum()).sum();
        return new AttackReport.Eclipse(keys.size(), done.size(), success,
                Summary.of(found.stream().mapToDouble(LookupSample::hops).toArray()),
                Summary.of(done.stream().mapToDouble(LookupSample::rpcs).toArray()), bounded);
    }

    /**
     * One honest record under each keyword key, put by a random honest node; then the flooders flood every keyword key
     * with records and every target key with announcements at the honest nodes closest to it; then a search per keyword
     * key from another honest node, a success if it finds the honest record.
     */
    private static AttackReport.Flood flood(VirtualCluster cluster, AttackSettings settings, List<NodeId> targets,
                                            List<SimNode> honest, List<Adversary> liars, Set<InetAddress> attackerIps,
                                            SplittableRandom random) {
        List<NodeId> keywords = new ArrayList<>();
        List<SimNode> publishers = new ArrayList<>();
        for (int i = 0; i < settings.keywordKeys(); i++) {
            keywords.add(NodeId.random(random));
            publishers.add(honest.get(random.nextInt(honest.size())));
        }
        cluster.await(Throttle.run(keywords.size(), settings.lookupConcurrency(), i -> cluster.call(publishers.get(i),
                dht -> dht.put(keywords.get(i), "honest".getBytes(StandardCharsets.US_ASCII), honestValue(i)))),
                settings.timeout());
        List<Adversary> flooders = liars.subList(0, Math.min(settings.flooders(), liars.size()));
        for (NodeId keyword : keywords) {
            List<SimNode> holders = closestHonest(honest, keyword);
            for (Adversary flooder : flooders) {
                List<RecordValue> records = flooder.floodRecords(keyword, AttackSettings.FLOOD_RECORDS);
                holders.forEach(h -> flooder.flood(h.address(), keyword, 0, records));
            }
        }
        for (NodeId target : targets) {
            List<SimNode> holders = closestHonest(honest, target);
            for (Adversary flooder : flooders) {
                holders.forEach(h -> flooder.flood(h.address(), target, AttackSettings.FLOOD_PORTS, List.of()));
            }
        }
        cluster.virtualClock().runFor(SETTLE);
        int[] found = new int[1];
        cluster.await(Throttle.run(keywords.size(), settings.lookupConcurrency(), i -> {
            SimNode searcher = honest.get(random.nextInt(honest.size()));
            byte[] wanted = honestValue(i);
            return cluster.call(searcher, dht -> dht.getRecords(keywords.get(i))).thenAccept(records -> {
                if (records.stream().map(RecordValue::value).anyMatch(v -> Arrays.equals(v, wanted))) {
                    found[0]++;
                }
            });
        }), settings.timeout());
        long attackers = 0;
        long stored = 0;
        long refused = 0;
        long evicted = 0;
        for (SimNode node : honest) {
            DhtNode core = (DhtNode) node.dht();
            attackers += core.storedFrom(source -> attackerIps.contains(source.getAddress()));
            stored += core.storedFrom(source -> true);
            refused += core.status().counters().entrySet().stream().filter(e -> e.getKey().startsWith("dropped.STORE_"))
                    .mapToLong(Map.Entry::getValue).sum();
            evicted += core.status().counter("store.evicted");
        }
        return new AttackReport.Flood(flooders.size(), keywords.size(), keywords.size(),
                found[0] / (double) keywords.size(), stored == 0 ? 0 : attackers / (double) stored, refused, evicted);
    }

    private static byte[] honestValue(int i) {
        return ("honest record " + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<SimNode> closestHonest(List<SimNode> honest, NodeId key) {
        Comparator<NodeId> byDistance = NodeId.byDistanceTo(key);
        return honest.stream().sorted(Comparator.comparing(n -> n.dht().id(), byDistance))
                .limit(AttackSettings.FLOODED_HOLDERS).toList();
    }

    /**
     * FIND_NODE, GET_PEERS and GET_RECORDS in turn, each to a random honest node, each claiming to come from one
     * address that never asked (a victim outside the network); counts the bytes sent to it against those "from" it.
     */
    private static AttackReport.Spoof spoof(VirtualCluster cluster, AttackSettings settings, List<SimNode> honest,
                                            SplittableRandom random) {
        VirtualNetwork network = cluster.network();
        InetSocketAddress victim = VirtualNetwork.addressOf(16_000_000);
        network.watch(victim);
        MessageCodec codec = new MessageCodec();
        for (int i = 0; i < settings.spoofed(); i++) {
            NodeId sender = NodeId.random(random);
            NodeId key = NodeId.random(random);
            long tx = random.nextLong();
            Request request = switch (i % 3) {
                case 0 -> new FindNode(tx, sender, key);
                case 1 -> new GetPeers(tx, sender, key);
                default -> new GetRecords(tx, sender, key, 0);
            };
            byte[] spoofedKey = new byte[Envelope.KEY_BYTES];
            random.nextBytes(spoofedKey);
            byte[] datagram = Envelope.request(spoofedKey, codec.encode(request));
            InetSocketAddress to = honest.get(random.nextInt(honest.size())).address();
            cluster.virtualClock().schedule(Duration.ofMillis(100L * (i / SPOOF_BATCH)),
                    () -> network.spoof(0, victim, to, datagram));
        }
        cluster.virtualClock().runFor(Duration.ofMillis(100L * (settings.spoofed() / SPOOF_BATCH + 1)).plus(SETTLE));
        long in = network.bytesFrom(victim);
        long out = network.bytesTo(victim);
        return new AttackReport.Spoof(settings.spoofed(), in, out, in == 0 ? 0 : out / (double) in);
    }
}
