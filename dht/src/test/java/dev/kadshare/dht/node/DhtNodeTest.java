package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.SessionKeys;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.routing.ContactFilter;
import dev.kadshare.dht.wire.Decoded;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.store.SignedRecords;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One node against a scripted peer: request matching, timeouts and counters. */
class DhtNodeTest {
    private record Sent(InetSocketAddress to, Message message) {
    }

    private final SplittableRandom random = new SplittableRandom(1);
    private final VirtualClock time = new VirtualClock();
    private final Scheduler timers = (delay, task) -> time.schedule(delay, task)::cancel;
    private final List<Sent> sent = new ArrayList<>();
    private final InetSocketAddress local = new InetSocketAddress("10.0.0.1", 4000);
    private final InetSocketAddress seed = new InetSocketAddress("10.0.0.2", 4000);
    /** The key of every node under test here: one scripted peer speaks to each. */
    private final DhtKey nodeKey = DhtKey.generate(random);
    private final ScriptedPeer peer = new ScriptedPeer(seed, nodeKey.publicKey(), random);
    private final NodeId seedId = peer.id();
    private final DhtNode node = new DhtNode(DhtConfig.defaults(nodeKey, local.getAddress()), local,
            (to, data) -> sent.add(new Sent(to, ScriptedPeer.open(data))), timers, time, random);

    private Message lastSent() {
        return sent.get(sent.size() - 1).message();
    }

    @Test
    void responseCountsOnlyFromTheAddressTheRequestWentTo() {
        CompletableFuture<Integer> bootstrap = node.bootstrap(List.of(seed));
        Ping ping = assertInstanceOf(Ping.class, lastSent());
        assertEquals(seed, sent.get(0).to());

        node.onDatagram(new InetSocketAddress("10.0.0.66", 4000), peer.seal(new Pong(ping.txId(), seedId, local)));
        assertEquals(1, node.status().counter("dropped.WRONG_ADDRESS"));
        node.onDatagram(seed, peer.seal(new Pong(ping.txId() + 1, seedId, local)));
        assertEquals(1, node.status().counter("dropped.UNKNOWN_TRANSACTION"));
        node.onDatagram(seed, peer.seal(new Nodes(ping.txId(), seedId, local, List.of())));
        assertEquals(1, node.status().counter("dropped.WRONG_TYPE"));
        assertEquals(0, node.status().routingTableSize());
        assertFalse(bootstrap.isDone());

        node.onDatagram(seed, peer.seal(new Pong(ping.txId(), seedId, local)));
        assertEquals(1, node.status().routingTableSize());
        // Then it looks up its own id through the seed.
        FindNode find = assertInstanceOf(FindNode.class, lastSent());
        assertEquals(node.id(), find.target());
        node.onDatagram(seed, peer.seal(new Nodes(find.txId(), seedId, local, List.of(new Contact(node.id(), local)))));
        assertEquals(1, bootstrap.join());
        // A replayed response no longer matches anything.
        node.onDatagram(seed, peer.seal(new Pong(ping.txId(), seedId, local)));
        assertEquals(2, node.status().counter("dropped.UNKNOWN_TRANSACTION"));
    }

    @Test
    void aGetterKeepsOnlyRecordsWhoseSignatureHoldsForTheKey() {
        CompletableFuture<Integer> bootstrap = node.bootstrap(List.of(seed));
        Ping ping = assertInstanceOf(Ping.class, lastSent());
        node.onDatagram(seed, peer.seal(new Pong(ping.txId(), seedId, local)));
        FindNode find = assertInstanceOf(FindNode.class, lastSent());
        node.onDatagram(seed, peer.seal(new Nodes(find.txId(), seedId, local, List.of())));
        assertEquals(1, bootstrap.join());

        NodeId key = NodeId.random(random);
        RecordValue good = RecordValue.sign(SignedRecords.PUBLISHER, key, new byte[0], 1, "good".getBytes());
        RecordValue elsewhere = RecordValue.sign(SignedRecords.PUBLISHER, NodeId.random(random), new byte[] {1}, 1, "moved".getBytes());
        byte[] tampered = RecordValue.sign(SignedRecords.publisher(3), key, new byte[0], 1, "real".getBytes()).bytes();
        tampered[tampered.length - 1] ^= 1;
        RecordValue forged = RecordValue.decode(tampered).orElseThrow();
        CompletableFuture<List<RecordValue>> found = node.getRecords(key);
        GetRecords get = assertInstanceOf(GetRecords.class, lastSent());
        node.onDatagram(seed, peer.seal(new Records(get.txId(), seedId, local, WriteToken.of(new byte[] {1}),
                List.of(good, elsewhere, forged), List.of(), 0)));
        assertTrue(time.runUntil(found::isDone, Duration.ofSeconds(3), 100));
        assertEquals(List.of(good), found.join());
        assertEquals(2, node.status().counter("records.badSignature"));
    }

    @Test
    void unansweredRequestsTimeOutAndAreCounted() {
        CompletableFuture<Integer> bootstrap = node.bootstrap(List.of(seed));
        assertTrue(time.runUntil(bootstrap::isDone, Duration.ofSeconds(3), 100));
        assertInstanceOf(NoSeedAnsweredException.class,
                assertThrows(Exception.class, bootstrap::join).getCause());
        assertEquals(1, node.status().counter("rpc.timeout.Ping"));
        assertEquals(1, node.status().counter("rpc.sent.Ping"));
    }

    /**
     * A caller that keeps adding seeds pays one ping for each, not one to every seed so far, and the seeds retried
     * while the table is empty are the first {@link DhtNode#MAX_SEEDS}, the first bootstrap's among them.
     */
    @Test
    void eachBootstrapPingsTheSeedsItGivesAndTheSeedsRetriedStayTheFirstFew() throws Exception {
        node.bootstrap(List.of(seed));
        int neighbours = 400;
        for (int i = 0; i < neighbours; i++) {
            node.bootstrap(List.of(new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >>> 8), (byte) i}), 7700)));
        }
        assertEquals(1 + neighbours, pingsSent().size(), "one ping a seed");

        sent.clear();
        time.runFor(DhtConfig.defaults(nodeKey, local.getAddress()).seedRetryInterval());
        List<InetSocketAddress> retried = pingsSent();
        assertEquals(DhtNode.MAX_SEEDS, retried.size());
        assertEquals(seed, retried.get(0), "the bootstrap's seed is kept");
    }

    /**
     * LAN discovery starts before the join, and pings each neighbour it hears: a big LAN, or a host forging
     * announcements, names hundreds before the configured seeds are given. If the first bootstrap fails (the network
     * not up yet), the configured seeds must still be retried: neighbours are retried apart, the newest
     * {@link DhtNode#MAX_NEIGHBOURS}, and push no seed out.
     */
    @Test
    void neighboursHeardBeforeTheSeedsPushNoSeedOutOfTheRetries() throws Exception {
        int neighbours = 400;
        for (int i = 0; i < neighbours; i++) {
            node.bootstrapFromNeighbour(new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >>> 8), (byte) i}), 7700));
        }
        CompletableFuture<Integer> joined = node.bootstrap(List.of(seed));
        assertEquals(neighbours + 1, pingsSent().size(), "one ping each");
        assertTrue(time.runUntil(joined::isDone, Duration.ofSeconds(3), 2 * neighbours));
        assertTrue(joined.isCompletedExceptionally(), "no one answered the first time");

        sent.clear();
        time.runFor(DhtConfig.defaults(nodeKey, local.getAddress()).seedRetryInterval());
        List<InetSocketAddress> retried = pingsSent();
        assertTrue(retried.contains(seed), "the configured seed is retried");
        assertEquals(1 + DhtNode.MAX_NEIGHBOURS, retried.size(), "the seed and the newest neighbours");
        assertTrue(retried.contains(new InetSocketAddress(InetAddress.getByAddress(
                new byte[] {10, 1, (byte) ((neighbours - 1) >>> 8), (byte) (neighbours - 1)}), 7700)), "the newest");
    }

    private List<InetSocketAddress> pingsSent() {
        return sent.stream().filter(s -> s.message() instanceof Ping).map(Sent::to).toList();
    }

    @Test
    void answersRequestsAndVerifiesUnknownSenders() {
        // Padded with room for the PONG and our PING (nobody is sent more than its request brought).
        node.onDatagram(seed, peer.seal(new Ping(42, seedId), 200));
        // First our Pong, then a Ping of our own: the stranger enters the table only if it answers.
        assertEquals(new Pong(42, node.id(), seed), sent.get(0).message(), "the answer says where the request came from");
        Ping verify = assertInstanceOf(Ping.class, sent.get(1).message());
        assertEquals(0, node.status().routingTableSize());
        node.onDatagram(seed, peer.seal(new Pong(verify.txId(), seedId, local)));
        assertEquals(1, node.status().routingTableSize());
        assertEquals(1, node.status().counter("rpc.received.Ping"));
        assertEquals(1, node.status().counter("rpc.received.Pong"));
    }

    @Test
    void fullBucketEvictsTheOldestOnlyIfItFailsAPing() {
        List<Message> out = new ArrayList<>();
        DhtNode small = nodeWithAFullOneContactBucket(out);
        NodeId young = idWithTopBit(2);
        Ping toOld = (Ping) out.get(0);
        Ping toYoung = (Ping) out.get(1);
        assertEquals(1, small.status().routingTableSize());
        // The newcomer found the bucket full: the incumbent is challenged with a ping, and stays silent.
        Ping challenge = (Ping) out.stream().filter(m -> m instanceof Ping p && p != toOld && p != toYoung)
                .findFirst().orElseThrow();
        assertTrue(time.runUntil(() -> small.status().counter("routing.evicted") == 1, Duration.ofSeconds(3), 1_000));
        assertEquals(1, small.status().routingTableSize());
        assertEquals(List.of(young), knownIds(small, out));
    }

    @Test
    void oneUnansweredChallengeIsNotEnoughToEvict() {
        List<Message> out = new ArrayList<>();
        DhtNode small = nodeWithAFullOneContactBucket(out);
        // The bootstrap's own lookup goes to the incumbent, which answers it: only the challenge goes unanswered.
        FindNode find = (FindNode) out.stream().filter(m -> m instanceof FindNode).findFirst().orElseThrow();
        small.onDatagram(OLD_ADDRESS, peer.seal(new Nodes(find.txId(), idWithTopBit(1), local, List.of())));
        assertTrue(time.runFor(Duration.ofMillis(2500), 1_000));
        assertEquals(1, small.status().counter("rpc.timeout.Ping"));
        assertEquals(0, small.status().counter("routing.evicted"));
        assertEquals(2, out.stream().skip(2).filter(m -> m instanceof Ping).count(), "challenged a second time");
        assertTrue(time.runFor(Duration.ofMillis(2500), 1_000));
        assertEquals(1, small.status().counter("routing.evicted"));
        assertEquals(List.of(idWithTopBit(2)), knownIds(small, out), "the replacement took its place");
    }

    @Test
    void floodsFromOneSourceAreRateLimitedLoopbackTooUnlessTheNodeIsOnLoopback() {
        InetSocketAddress flooder = new InetSocketAddress("10.0.0.77", 4000);
        for (int i = 0; i < 500; i++) {
            node.onDatagram(flooder, peer.seal(new Ping(i, seedId)));
        }
        long burst = 2L * DhtConfig.DEFAULT_DATAGRAMS_PER_SECOND_PER_IP;
        assertEquals(500 - burst, node.status().counter("dropped.RATE_LIMITED"));
        assertEquals(burst, node.status().counter("rpc.received.Ping"));
        assertTrue(time.runFor(Duration.ofSeconds(1), 1_000));
        node.onDatagram(flooder, peer.seal(new Ping(1000, seedId)));
        assertEquals(burst + 1, node.status().counter("rpc.received.Ping"), "tokens refill with time");

        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 4000);
        for (int i = 0; i < 500; i++) {
            node.onDatagram(loopback, peer.seal(new Ping(2000 + i, seedId)));
        }
        assertEquals(2 * (500 - burst), node.status().counter("dropped.RATE_LIMITED"), "a local process is limited too");

        DhtNode onLoopback = new DhtNode(DhtConfig.defaults(nodeKey, InetAddress.getLoopbackAddress()), new InetSocketAddress("127.0.0.1", 4001),
                (to, data) -> { }, timers, time, random);
        for (int i = 0; i < 500; i++) {
            onLoopback.onDatagram(loopback, peer.seal(new Ping(3000 + i, seedId)));
        }
        assertEquals(0, onLoopback.status().counter("dropped.RATE_LIMITED"), "a one-machine network shares 127.0.0.1");
    }

    @Test
    void requestsFromKeysWithNoSessionAreAnsweredWithinABudgetAndKnownKeysAlways() {
        AtomicInteger derived = new AtomicInteger();
        SessionKeys counted = (ours, theirs) -> {
            derived.incrementAndGet();
            return X25519SessionKeys.INSTANCE.derive(ours, theirs);
        };
        // Eight session slots: a hundred keys derived for strangers would surely take the seed's, were it not kept.
        DhtNode budgeted = new DhtNode(DhtConfig.builder(nodeKey, local.getAddress()).sessions(counted, 8)
                .newSessionsPerSecond(50).build(), local, (to, data) -> sent.add(new Sent(to, ScriptedPeer.open(data))),
                timers, time, random);
        budgeted.bootstrap(List.of(seed));
        Ping ping = assertInstanceOf(Ping.class, lastSent());
        budgeted.onDatagram(seed, peer.seal(new Pong(ping.txId(), seedId, local)));
        assertEquals(1, derived.get(), "the seed answered us: its key was derived outside the budget");

        // Spoofed senders: a fresh key from a fresh address each, so no per-IP limit applies.
        for (int i = 0; i < 300; i++) {
            ScriptedPeer spoofed = new ScriptedPeer(new InetSocketAddress("10.9." + i / 200 + "." + (i % 200 + 1), 4000),
                    nodeKey.publicKey(), random);
            budgeted.onDatagram(spoofed.address, spoofed.seal(new Ping(100 + i, spoofed.id()), 200));
        }
        assertEquals(101, derived.get(), "a burst of twice the rate");
        assertEquals(200, budgeted.status().counter("dropped.SESSION_BUDGET"));
        assertEquals(0, budgeted.status().counter("dropped.RATE_LIMITED"));

        long pongsToSeed = sent.stream().filter(s -> s.to().equals(seed) && s.message() instanceof Pong).count();
        budgeted.onDatagram(seed, peer.seal(new Ping(2, seedId), 200));
        assertEquals(pongsToSeed + 1, sent.stream().filter(s -> s.to().equals(seed) && s.message() instanceof Pong).count(),
                "a node that answered us is answered past the budget, its session kept through the flood");
        assertEquals(101, derived.get());

        assertTrue(time.runFor(Duration.ofSeconds(1), 1_000));
        ScriptedPeer later = new ScriptedPeer(new InetSocketAddress("10.9.9.9", 4000), nodeKey.publicKey(), random);
        budgeted.onDatagram(later.address, later.seal(new Ping(3, later.id()), 200));
        assertEquals(102, derived.get(), "the budget refills with time");
        assertEquals(200, budgeted.status().counter("dropped.SESSION_BUDGET"));

        DhtNode onLoopback = new DhtNode(DhtConfig.builder(nodeKey, InetAddress.getLoopbackAddress()).sessions(counted, 1024)
                .newSessionsPerSecond(1).build(), new InetSocketAddress("127.0.0.1", 4001), (to, data) -> { }, timers, time, random);
        for (int i = 0; i < 10; i++) {
            ScriptedPeer neighbour = new ScriptedPeer(new InetSocketAddress("127.0.0." + (i + 2), 4000), nodeKey.publicKey(), random);
            onLoopback.onDatagram(neighbour.address, neighbour.seal(new Ping(i, neighbour.id()), 200));
        }
        assertEquals(0, onLoopback.status().counter("dropped.SESSION_BUDGET"), "a one-machine network shares loopback");
    }

    /** A node with one session slot, its derivations counted, bootstrapping through the seed, whose PONG it has. */
    private record OneSlot(DhtNode node, AtomicInteger derived, CompletableFuture<Integer> joined, FindNode find) {
    }

    private OneSlot oneSlotThatTheSeedAnswered() {
        AtomicInteger derived = new AtomicInteger();
        SessionKeys counted = (ours, theirs) -> {
            derived.incrementAndGet();
            return X25519SessionKeys.INSTANCE.derive(ours, theirs);
        };
        DhtNode oneSlot = new DhtNode(DhtConfig.builder(nodeKey, local.getAddress()).sessions(counted, 1).build(), local,
                (to, data) -> sent.add(new Sent(to, ScriptedPeer.open(data))), timers, time, random);
        CompletableFuture<Integer> joined = oneSlot.bootstrap(List.of(seed));
        oneSlot.onDatagram(seed, peer.seal(new Pong(((Ping) lastSent()).txId(), seedId, local)));
        FindNode find = assertInstanceOf(FindNode.class, lastSent());
        assertEquals(1, derived.get(), "the seed's session, kept: it answered us");
        return new OneSlot(oneSlot, derived, joined, find);
    }

    /**
     * An answer to a request of ours whose tag fails, under a made-up key whose first bytes pick the slot of a kept
     * session (one slot here: every key's): the session was derived and kept before the tag was checked, so the forged
     * answer pushed out the key of a node that had answered us, and its next answer cost another X25519. Now a failed tag
     * leaves the cache as it was: the forgery is dropped as BAD_TAG, and the seed's next answer derives nothing.
     */
    @Test
    void aForgedAnswerToOurRequestPushesNoKeptSessionOut() {
        OneSlot one = oneSlotThatTheSeedAnswered();
        DhtNode oneSlot = one.node();
        AtomicInteger derived = one.derived();

        // A second seed, the forger's own address: our PING to it is a request the forger can answer, and a PONG is
        // taken from an id its address does not give, so the made-up key reaches the tag's check.
        InetSocketAddress forger = new InetSocketAddress("10.0.0.66", 4000);
        oneSlot.bootstrap(List.of(forger));
        Ping ping = assertInstanceOf(Ping.class, lastSent());
        byte[] madeUp = DhtKey.generate(random).publicKey();
        byte[] notItsSession = X25519SessionKeys.INSTANCE.derive(DhtKey.generate(random), nodeKey.publicKey())
                .orElseThrow();
        oneSlot.onDatagram(forger, Envelope.response(madeUp, notItsSession,
                new MessageCodec().encode(new Pong(ping.txId(), NodeId.random(random), local))));
        assertEquals(1, oneSlot.status().counter("dropped.BAD_TAG"));
        assertEquals(2, derived.get(), "the made-up key costs the X25519 that checks its tag");

        oneSlot.onDatagram(seed, peer.seal(new Nodes(one.find().txId(), seedId, local, List.of())));
        assertTrue(one.joined().isDone(), "the seed's answer is taken");
        assertEquals(1, oneSlot.status().counter("dropped.BAD_TAG"));
        assertEquals(2, derived.get(), "the seed's session survived the forgery: its answer derives nothing");
    }

    /**
     * A stranger we PING can answer with a PONG from an id not bound to its address (a PONG is taken so), under a key
     * it made for the slot of a kept session (one slot here: any key's; about 1,000 tries for one of 1,024) and a tag
     * that holds. Its key was kept as one that answered us and pushed the seed's session out, whose next answer cost
     * another X25519; now it is kept as one that only asked, and the seed's stays.
     */
    @Test
    void aStrangersTrueAnswerFromAnUnboundIdPushesNoKeptSessionOut() {
        OneSlot one = oneSlotThatTheSeedAnswered();
        DhtNode oneSlot = one.node();
        AtomicInteger derived = one.derived();

        InetSocketAddress strangerAddress = new InetSocketAddress("10.0.0.66", 4000);
        ScriptedPeer stranger = new ScriptedPeer(strangerAddress, nodeKey.publicKey(), random);
        oneSlot.bootstrap(List.of(strangerAddress));
        Ping ping = assertInstanceOf(Ping.class, lastSent());
        oneSlot.onDatagram(strangerAddress, stranger.seal(new Pong(ping.txId(), NodeId.random(random), local)));
        assertEquals(0, oneSlot.status().counter("dropped.BAD_TAG"), "its tag holds");
        assertEquals(2, oneSlot.status().counter("rpc.received.Pong"), "its PONG is taken");
        assertEquals(2, derived.get(), "its key cost the X25519 that checks its tag");

        oneSlot.onDatagram(seed, peer.seal(new Nodes(one.find().txId(), seedId, local, List.of())));
        assertTrue(one.joined().isDone(), "the seed's answer is taken");
        assertEquals(2, derived.get(), "the seed's session stayed: its answer derives nothing");
    }

    @Test
    void aReplyUnderAnotherIdThanTheOneAskedIsDroppedAndCounted() {
        node.bootstrap(List.of(seed));
        Ping ping = assertInstanceOf(Ping.class, lastSent());
        node.onDatagram(seed, peer.seal(new Pong(ping.txId(), seedId, local)));
        CompletableFuture<List<Contact>> lookup = node.findNode(NodeId.random(random));
        FindNode find = assertInstanceOf(FindNode.class, lastSent());
        NodeId impostor = NodeId.random(random);
        node.onDatagram(seed, peer.seal(new Nodes(find.txId(), impostor, local, List.of())));
        assertEquals(1, node.status().counter("dropped.WRONG_ID"));
        assertEquals(1, node.status().routingTableSize(), "the impostor id never enters the table");
        assertFalse(lookup.isDone());
        node.onDatagram(seed, peer.seal(new Nodes(find.txId(), seedId, local, List.of())));
        assertEquals(0, node.status().counter("dropped.UNKNOWN_TRANSACTION"), "the request still waited for the node asked");
        assertTrue(lookup.isDone());
    }

    @Test
    void contactsNamedInRepliesAreFollowedOnlyOnNetworksThisNodeReaches() throws Exception {
        List<Sent> out = new ArrayList<>();
        DhtNode serving = new DhtNode(DhtConfig.builder(nodeKey, InetAddress.getByName("198.51.100.1"))
                .contactFilter(ContactFilter.reaching(Set.of())).build(), new InetSocketAddress("198.51.100.1", 4000),
                (to, data) -> out.add(new Sent(to, ScriptedPeer.open(data))), timers, time, random);
        serving.bootstrap(List.of(seed));
        Ping ping = (Ping) out.get(0).message();
        serving.onDatagram(seed, peer.seal(new Pong(ping.txId(), seedId, local)));
        out.clear();
        serving.findNode(NodeId.random(random));
        FindNode find = (FindNode) out.stream().map(Sent::message).filter(m -> m instanceof FindNode).findFirst().orElseThrow();
        InetSocketAddress good = new InetSocketAddress("203.0.113.5", 6881);
        List<Contact> named = List.of(new Contact(NodeId.random(random), new InetSocketAddress("127.0.0.1", 5)),
                new Contact(NodeId.random(random), new InetSocketAddress("0.0.0.0", 5)),
                new Contact(NodeId.random(random), new InetSocketAddress("224.0.0.1", 5)),
                new Contact(NodeId.random(random), new InetSocketAddress("192.168.1.5", 5)),
                new Contact(NodeId.random(random), new InetSocketAddress("203.0.113.6", 0)),
                new Contact(IdRule.idFor(good.getAddress(), DhtKey.generate(random).publicKey()), good));
        out.clear();
        serving.onDatagram(seed, peer.seal(new Nodes(find.txId(), seedId, local, named)));
        assertEquals(List.of(good), out.stream().map(Sent::to).distinct().toList(), "only the public contact is asked");
        assertEquals(5, serving.status().counter("lookup.contacts.filtered"));
    }

    @Test
    void idleBucketsAreRefreshedByALookupInTheirRange() {
        DhtConfig config = DhtConfig.builder(nodeKey, local.getAddress()).bucketRefreshInterval(Duration.ofMinutes(15)).build();
        List<Sent> out = new ArrayList<>();
        DhtNode refreshing = new DhtNode(config, local,
                (to, data) -> out.add(new Sent(to, ScriptedPeer.open(data))), timers, time, random);
        refreshing.bootstrap(List.of(seed));
        refreshing.onDatagram(seed, peer.seal(new Pong(((Ping) out.get(0).message()).txId(), seedId, local)));
        int before = out.size();
        assertTrue(time.runFor(Duration.ofMinutes(14), 100_000));
        long findsBefore = out.stream().skip(before).filter(s -> s.message() instanceof FindNode).count();
        assertTrue(time.runFor(Duration.ofMinutes(5), 100_000));
        List<FindNode> refreshes = out.stream().skip(before).map(Sent::message).filter(m -> m instanceof FindNode)
                .map(m -> (FindNode) m).toList();
        assertTrue(refreshes.size() > findsBefore, "refresh lookups after 15 idle minutes");
        int seedBucket = config.id().bucketIndex(seedId);
        assertTrue(refreshes.stream().anyMatch(f -> config.id().bucketIndex(f.target()) == seedBucket));
        assertTrue(refreshing.status().counter("routing.refreshes") >= 1);
    }

    @Test
    void fullBucketKeepsTheOldestIfItAnswersTheChallenge() {
        List<Message> out = new ArrayList<>();
        DhtNode small = nodeWithAFullOneContactBucket(out);
        Ping challenge = (Ping) out.stream().skip(2).filter(m -> m instanceof Ping).findFirst().orElseThrow();
        small.onDatagram(OLD_ADDRESS, peer.seal(new Pong(challenge.txId(), idWithTopBit(1), local)));
        assertEquals(0, small.status().counter("routing.evicted"));
        assertEquals(List.of(idWithTopBit(1)), knownIds(small, out));
    }

    private static final InetSocketAddress OLD_ADDRESS = new InetSocketAddress("10.0.0.3", 4000);
    private static final InetSocketAddress YOUNG_ADDRESS = new InetSocketAddress("10.0.0.4", 4000);

    /**
     * A node with k = 1 (every id with the top bit set shares bucket 255) that bootstrapped from two contacts
     * which both answered: the older holds the bucket, the younger waits on the incumbent's challenge.
     */
    private DhtNode nodeWithAFullOneContactBucket(List<Message> out) {
        DhtNode small = new DhtNode(DhtConfig.builder(nodeKey, local.getAddress()).id(NodeId.of(new byte[32]))
                .idBinding(IdBinding.NOT_CHECKED).k(1).build(), local,
                (to, data) -> out.add(ScriptedPeer.open(data)), timers, time, random);
        small.bootstrap(List.of(OLD_ADDRESS, YOUNG_ADDRESS));
        small.onDatagram(OLD_ADDRESS, peer.seal(new Pong(((Ping) out.get(0)).txId(), idWithTopBit(1), local)));
        small.onDatagram(YOUNG_ADDRESS, peer.seal(new Pong(((Ping) out.get(1)).txId(), idWithTopBit(2), local)));
        return small;
    }

    /** The routing table as the node reveals it: its answer to a FIND_NODE. */
    private List<NodeId> knownIds(DhtNode target, List<Message> out) {
        target.onDatagram(new InetSocketAddress("10.0.0.99", 4000),
                peer.seal(new FindNode(777, NodeId.random(random), NodeId.random(random)), MessageCodec.MAX_MESSAGE));
        Nodes reply = (Nodes) out.stream().filter(m -> m instanceof Nodes n && n.txId() == 777).findFirst().orElseThrow();
        return reply.contacts().stream().map(Contact::id).toList();
    }

    private static NodeId idWithTopBit(int last) {
        byte[] b = new byte[32];
        b[0] = (byte) 0x80;
        b[31] = (byte) last;
        return NodeId.of(b);
    }

    @Test
    void closedNodeIgnoresInputAndFailsPendingRequests() {
        CompletableFuture<Integer> bootstrap = node.bootstrap(List.of(seed));
        node.close();
        assertTrue(bootstrap.isCompletedExceptionally());
        node.onDatagram(seed, peer.seal(new Ping(1, seedId)));
        assertEquals(0, node.status().counter("rpc.received.Ping"));
    }
}
