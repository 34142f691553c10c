package dev.kadshare.dht.node;

import dev.kadshare.dht.DhtStatus;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.dht.lookup.LookupAnswer;
import dev.kadshare.dht.lookup.TokenHolder;
import dev.kadshare.dht.routing.Admission;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.routing.RoutingTable;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.token.WriteTokens;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.Decoded;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kademlia node's protocol logic, sans I/O and single-threaded: every method must be called on the
 * node's own thread (its event loop), and all futures complete on that thread. Time, timers, randomness
 * and the network are injected, so the same code runs on Netty and in a virtual-time simulation.
 */
public final class DhtNode {
    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    /** Unknown nodes that contact us are pinged before they may enter the table; this bounds that work. */
    private static final int MAX_VERIFICATIONS = 32;

    private final NodeConfig config;
    private final NodeId self;
    private final InetSocketAddress localAddress;
    private final DatagramTransport transport;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final MessageCodec codec = new MessageCodec();
    private final RoutingTable table;
    private final PeerStore store;
    private final Responder responder;
    private final PendingRequests pending = new PendingRequests();
    private final Counters counters = new Counters();
    private final Set<NodeId> verifying = new HashSet<>();
    private final Set<InetSocketAddress> seeds = new LinkedHashSet<>();
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    private boolean seedRetryStarted;
    private boolean closed;

    public DhtNode(NodeConfig config, InetSocketAddress localAddress, DatagramTransport transport,
                   Scheduler scheduler, InstantSource clock, RandomGenerator random) {
        this.config = config;
        this.self = config.id();
        this.localAddress = localAddress;
        this.transport = transport;
        this.scheduler = scheduler;
        this.random = random;
        this.table = new RoutingTable(self, config.k());
        this.store = new PeerStore(clock, config.peerTtl(), config.maxPeersPerKey(), config.maxPeersTotal());
        this.responder = new Responder(self, config.k(), table,
                new WriteTokens(clock, random, config.tokenRotation()), store);
        schedulePurge();
    }

    public NodeId id() {
        return self;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Routing-table size and counters; safe to call from any thread. */
    public DhtStatus status() {
        return new DhtStatus((int) counters.get("routing.size"), counters.snapshot());
    }

    // ---- inbound -------------------------------------------------------------------------------

    /** One inbound datagram; malformed input is dropped and counted, never thrown. */
    public void onDatagram(InetSocketAddress from, byte[] data) {
        if (closed) {
            return;
        }
        Decoded decoded = codec.decode(data);
        if (decoded instanceof Decoded.Rejected rejected) {
            drop(rejected.reason().name(), from, rejected.detail());
            return;
        }
        Message message = ((Decoded.Ok) decoded).message();
        if (message.sender().equals(self)) {
            drop("SELF", from, "our own id");
            return;
        }
        counters.increment("rpc.received." + typeName(message));
        if (message instanceof Request request) {
            onRequest(from, request);
        } else {
            onResponse(from, (Response) message);
        }
    }

    private void onRequest(InetSocketAddress from, Request request) {
        Optional<Response> response = responder.respond(from, request);
        if (response.isPresent()) {
            send(from, response.get());
        } else {
            drop("BAD_TOKEN", from, "announce refused");
        }
        verifyIfUseful(new Contact(request.sender(), from));
    }

    private void onResponse(InetSocketAddress from, Response response) {
        PendingRequests.Match match = pending.match(from, response);
        if (match != PendingRequests.Match.MATCHED) {
            drop(match.name(), from, typeName(response));
            return;
        }
        // It answered a request of ours: that is what earns a place in the routing table.
        Contact responder = new Contact(response.sender(), from);
        Admission admission = table.recordAnswer(responder);
        if (admission == Admission.ADDED) {
            counters.set("routing.size", table.size());
        } else if (admission == Admission.BUCKET_FULL) {
            challengeOldest(responder);
        }
        pending.complete(response);
    }

    /**
     * Ping-then-evict: the newcomer replaces the bucket's least-recently-seen contact only if that one
     * fails a ping, so long-lived nodes (the likeliest to stay up) keep their places.
     */
    private void challengeOldest(Contact newcomer) {
        Optional<Contact> oldest = table.leastRecentlySeenNear(newcomer.id());
        if (oldest.isEmpty() || verifying.size() >= MAX_VERIFICATIONS || !verifying.add(oldest.get().id())) {
            return;
        }
        Contact incumbent = oldest.get();
        call(incumbent.address(), new Ping(newTxId(), self)).whenComplete((r, e) -> {
            verifying.remove(incumbent.id());
            if (e instanceof RpcTimeoutException) {
                table.remove(incumbent.id());
                table.recordAnswer(newcomer);
                counters.increment("routing.evicted");
                counters.set("routing.size", table.size());
            }
        });
    }

    /** Pings a node that contacted us if it could enter the table; only an answer lets it in. */
    private void verifyIfUseful(Contact contact) {
        if (table.contains(contact.id()) || !table.hasRoomFor(contact.id())
                || verifying.size() >= MAX_VERIFICATIONS || !verifying.add(contact.id())) {
            return;
        }
        call(contact.address(), new Ping(newTxId(), self)).whenComplete((r, e) -> verifying.remove(contact.id()));
    }

    // ---- operations ----------------------------------------------------------------------------

    /**
     * Pings the seeds, then looks up our own id; completes with the routing-table size, or exceptionally
     * if no seed answered. From then on the seeds are retried periodically while the table is empty.
     */
    public CompletableFuture<Integer> bootstrap(Collection<InetSocketAddress> newSeeds) {
        seeds.addAll(newSeeds);
        startSeedRetry();
        return pingSeeds().thenCompose(answered -> {
            if (answered == 0) {
                return CompletableFuture.failedFuture(new NoSeedAnsweredException(seeds.size()));
            }
            return findNode(self).thenApply(closest -> table.size());
        });
    }

    /** Iterative FIND_NODE; completes with the closest contacts that answered. */
    public CompletableFuture<List<Contact>> findNode(NodeId target) {
        return lookup(target, contact -> call(contact, new FindNode(newTxId(), self, target))
                .thenApply(r -> LookupAnswer.nodes(((Nodes) r).contacts())))
                .thenApply(Lookup::closestAnswered);
    }

    /** Iterative GET_PEERS; completes with the peers found, including those in our own store. */
    public CompletableFuture<Set<InetSocketAddress>> findPeers(NodeId key) {
        return getPeersLookup(key).thenApply(lookup -> {
            Set<InetSocketAddress> found = new LinkedHashSet<>(store.get(key, Peers.MAX_PEERS));
            found.addAll(lookup.peers());
            return Set.copyOf(found);
        });
    }

    /**
     * Stores the announcement locally, looks up {@code key}, then sends ANNOUNCE_PEER with their tokens
     * to the closest nodes; completes with how many remote nodes accepted.
     */
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        store.put(key, new InetSocketAddress(advertisedIp(), port));
        return getPeersLookup(key).thenCompose(lookup -> {
            List<TokenHolder> holders = lookup.tokenHolders();
            AtomicInteger accepted = new AtomicInteger();
            CompletableFuture<?>[] calls = new CompletableFuture<?>[holders.size()];
            for (int i = 0; i < holders.size(); i++) {
                TokenHolder h = holders.get(i);
                calls[i] = call(h.contact(), new AnnouncePeer(newTxId(), self, key, port, h.token()))
                        .handle((r, e) -> e == null ? accepted.incrementAndGet() : 0);
            }
            return CompletableFuture.allOf(calls).thenApply(v -> accepted.get());
        });
    }

    /** Stops timers and fails outstanding requests; later datagrams are ignored. */
    public void close() {
        closed = true;
        timers.forEach(Scheduler.Cancellable::cancel);
        pending.failAll(new CancellationException("DHT node closed"));
    }

    // ---- internals -----------------------------------------------------------------------------

    private CompletableFuture<Lookup> getPeersLookup(NodeId key) {
        return lookup(key, contact -> call(contact, new GetPeers(newTxId(), self, key)).thenApply(r -> {
            Peers p = (Peers) r;
            return new LookupAnswer(p.nodes(), p.peers(), Optional.of(p.token()));
        }));
    }

    private CompletableFuture<Lookup> lookup(NodeId target, Function<Contact, CompletableFuture<LookupAnswer>> query) {
        Lookup lookup = new Lookup(target, self, table.closest(target, config.k()), config.k(), config.alpha());
        return IterativeLookup.run(lookup, query);
    }

    private CompletableFuture<Integer> pingSeeds() {
        AtomicInteger answered = new AtomicInteger();
        CompletableFuture<?>[] pings = seeds.stream()
                .map(seed -> call(seed, new Ping(newTxId(), self)).handle((r, e) -> e == null ? answered.incrementAndGet() : 0))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(pings).thenApply(v -> answered.get());
    }

    private void startSeedRetry() {
        if (seedRetryStarted) {
            return;
        }
        seedRetryStarted = true;
        scheduleSeedRetry();
    }

    private void scheduleSeedRetry() {
        timers.add(scheduler.schedule(config.seedRetryInterval(), () -> {
            if (closed) {
                return;
            }
            if (table.size() == 0) {
                log.debug("{}: routing table empty, retrying {} seeds", self, seeds.size());
                pingSeeds().thenAccept(answered -> {
                    if (answered > 0) {
                        findNode(self);
                    }
                });
            }
            scheduleSeedRetry();
        }));
    }

    private void schedulePurge() {
        timers.add(scheduler.schedule(PURGE_INTERVAL, () -> {
            if (!closed) {
                store.purgeExpired();
                schedulePurge();
            }
        }));
    }

    /** A request to a known contact: an unanswered one counts against it in the routing table. */
    private CompletableFuture<Response> call(Contact contact, Request request) {
        CompletableFuture<Response> result = call(contact.address(), request);
        result.whenComplete((r, e) -> {
            if (e instanceof RpcTimeoutException) {
                table.recordFailure(contact.id());
                counters.set("routing.size", table.size());
            }
        });
        return result;
    }

    private CompletableFuture<Response> call(InetSocketAddress to, Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new CancellationException("DHT node closed"));
            return result;
        }
        String type = typeName(request);
        Scheduler.Cancellable timeout = scheduler.schedule(config.rpcTimeout(), () -> {
            if (pending.expire(request.txId())) {
                counters.increment("rpc.timeout." + type);
            }
        });
        pending.add(to, request, result, timeout);
        send(to, request);
        return result;
    }

    private void send(InetSocketAddress to, Message message) {
        counters.increment("rpc.sent." + typeName(message));
        transport.send(to, codec.encode(message));
    }

    private long newTxId() {
        long txId;
        do {
            txId = random.nextLong();
        } while (pending.isPending(txId));
        return txId;
    }

    private InetAddress advertisedIp() {
        // A wildcard bind has no single address; loopback at least serves a one-machine network.
        InetAddress ip = localAddress.getAddress();
        return ip == null || ip.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : ip;
    }

    private void drop(String reason, InetSocketAddress from, String detail) {
        counters.increment("dropped." + reason);
        log.debug("{}: dropped datagram from {}: {} ({})", self, from, reason, detail);
    }

    private static String typeName(Message message) {
        return message.getClass().getSimpleName();
    }
}
