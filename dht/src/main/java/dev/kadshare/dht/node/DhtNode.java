package dev.kadshare.dht.node;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.DhtOperations;
import dev.kadshare.dht.DhtStatus;
import dev.kadshare.dht.LookupResult;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.dht.lookup.LookupAnswer;
import dev.kadshare.dht.lookup.TokenHolder;
import dev.kadshare.dht.reach.Mapping;
import dev.kadshare.dht.reach.MappingClassifier;
import dev.kadshare.dht.rendezvous.AnnouncerEndpoints;
import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.dht.reach.Reachability;
import dev.kadshare.dht.routing.Admission;
import dev.kadshare.dht.routing.AdmissionLimits;
import dev.kadshare.dht.routing.ContactFilter;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.routing.RoutingTable;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.store.Publisher;
import dev.kadshare.dht.store.RecordStore;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.token.WriteTokens;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.ConnectForwarded;
import dev.kadshare.dht.wire.ConnectRequest;
import dev.kadshare.dht.wire.Introduce;
import dev.kadshare.dht.wire.Introduced;
import dev.kadshare.dht.wire.Decoded;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.dht.wire.PutRecord;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.RejectReason;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.Sessions;
import dev.kadshare.dht.wire.WithdrawPeer;
import dev.kadshare.net.AddressScope;
import dev.kadshare.net.NewestKept;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.kadshare.dht.LookupListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kademlia node's protocol logic, sans I/O and single-threaded: every method must be called on the
 * node's own thread (its event loop), and all futures complete on that thread. Time, timers, randomness
 * and the network are injected, so the same code runs on Netty and in a virtual-time simulation.
 */
public final class DhtNode implements DhtOperations {
    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    /** Unknown nodes that contact us are pinged before they may enter the table; this bounds that work. */
    private static final int MAX_VERIFICATIONS = 32;
    /**
     * Values handed to one newcomer at most, so a join cannot set off a burst beyond its rate limit;
     * what is left over reaches it with the owners' next renewal.
     */
    private static final int MAX_REPLICATED_VALUES = 64;
    /** Saved contacts pinged on rejoin: enough to find live ones, few enough to retry while isolated. */
    public static final int MAX_REJOIN_CONTACTS = 128;
    /**
     * Seeds kept to retry while the routing table is empty, the first given to {@link #bootstrap}: the configured ones'
     * and a rejoin's fit. LAN neighbours are kept apart ({@link #MAX_NEIGHBOURS}), so they never take a seed's place.
     */
    public static final int MAX_SEEDS = 256;
    /**
     * LAN neighbours kept to retry while the routing table is empty, the newest heard: a LAN that keeps naming new
     * ones (or a host forging them) pushes out its own oldest, never a seed.
     */
    public static final int MAX_NEIGHBOURS = 64;
    /**
     * How often a node behind a NAT pings the holders of its announcements, so its UDP mappings to them stay open for
     * their introductions: well under conntrack's 30 s for a flow not yet answered and 120 s for one answered.
     */
    public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(20);
    /** Holders of our announcements kept alive and accepted introductions from, the most recent. */
    static final int MAX_KEEPALIVE_HOLDERS = 64;
    /** Storers a getter asks to introduce it to one peer. */
    static final int MAX_INTRODUCERS = 3;
    /**
     * Introductions a storer forwards per requesting IP, and per announcer (a minute's worth, burst 5): a storer is no
     * reflector, it forwards only to endpoints that announced to it, and few of them.
     */
    static final double INTRODUCTIONS_PER_SECOND = 10 / 60.0;
    static final double INTRODUCTION_BURST = 5;
    /**
     * Records one source may have under one key: a few (one host publishing several shares under a keyword), so
     * that a handful of addresses cannot fill a key's {@link DhtConfig#maxRecordsPerKey()} places.
     */
    static final int RECORDS_PER_KEY_PER_SOURCE = 4;
    /** Salt of a record put without one: this much of the value's SHA-256, so each value has a slot of its own. */
    private static final int VALUE_SALT_BYTES = 16;
    /** Holders a record lookup reads every page from; the others give their first page only. */
    private static final int MAX_PAGED_HOLDERS = 3;

    /** What a lookup is for, as counted under {@code lookup.count.<kind>}. */
    private enum LookupKind { FIND_NODE, GET_PEERS, GET_RECORDS }

    private final DhtConfig config;
    private final NodeId self;
    private final InetSocketAddress localAddress;
    private final DatagramTransport transport;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final InstantSource clock;
    private final RoundTripTimes roundTrips;
    /** Our DHT key's public half, sent with every datagram; the id is made of it. */
    private final byte[] publicKey;
    private final Sessions sessions;
    /**
     * A codec per thread, not per node: a node only ever runs on its one thread, and a Kryo instance with its
     * registrations and buffer is a few KiB, which a simulation of 100,000 nodes on one thread would hold
     * 100,000 times over.
     */
    private static final ThreadLocal<MessageCodec> CODECS = ThreadLocal.withInitial(MessageCodec::new);
    private final RoutingTable table;
    private final PeerStore store;
    private final RecordStore records;
    private final Responder responder;
    private final SourceRateLimit rateLimit;
    private final SessionBudget newSessions;
    private final PendingRequests pending = new PendingRequests();
    private final Counters counters = new Counters();
    /** Told of each finished lookup (the daemon's metrics time them); added from any thread. */
    private final List<LookupListener> lookupListeners = new CopyOnWriteArrayList<>();
    private final Set<NodeId> verifying = new HashSet<>();
    private final Set<InetSocketAddress> seeds = new LinkedHashSet<>();
    /** LAN neighbours to retry; none made until one is heard (a simulation runs 10^5 nodes). */
    private Optional<NewestKept<InetSocketAddress>> neighbours = Optional.empty();
    /** Our own announcements and records, renewed before they expire where they are stored. */
    private final Publications own;
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    /** Our mapping as responders observe us; read by {@link #status} from any thread. */
    private final MappingClassifier mapping;
    private volatile Reachability reachability = Reachability.unknown(0);
    /** Where each announcement we store came from: the only endpoints we forward connect requests to. */
    private final AnnouncerEndpoints announcers;
    private final SourceRateLimit connectsPerSource;
    private final SourceRateLimit introductionsPerAnnouncer;
    private final SourceRateLimit introductionsAccepted;
    /** Introductions taken from each holder, whatever getter they name: a holder names a new getter IP at will. */
    private final SourceRateLimit introductionsPerHolder;
    /**
     * Nodes that accepted our announcements (address -> node id), newest last: pinged to keep NAT mappings open, the
     * only introducers.
     */
    private final LinkedHashMap<InetSocketAddress, NodeId> holders = new LinkedHashMap<>();
    private Consumer<Introduction> introductions = introduction -> { };
    private final boolean onLoopback;
    private Publisher publisher;
    /** The last sequence number we signed a record with. */
    private long lastSeq;
    private boolean seedRetryStarted;
    private boolean closed;

    /** {@code listener} hears of every lookup this node finishes from now on. */
    public void addLookupListener(LookupListener listener) {
        lookupListeners.add(listener);
    }

    /** A node bound to {@code localAddress}; if that is a wildcard, an observer seeing its port at no local IP sees a NAT. */
    public DhtNode(DhtConfig config, InetSocketAddress localAddress, DatagramTransport transport,
                   Scheduler scheduler, InstantSource clock, RandomGenerator random) {
        this(config, config.id(), localAddress, Set.of(), transport, scheduler, clock, random);
    }

    /**
     * A node with the id {@code self} (the config's, or its {@code ipv6Id} for the IPv6 core of a dual-stack socket),
     * bound to {@code localAddress}, whose host has the {@code interfaceIps} (what a wildcard bind listens on: an
     * observer seeing one of them with our port sees us untranslated).
     */
    public DhtNode(DhtConfig config, NodeId self, InetSocketAddress localAddress, Set<InetAddress> interfaceIps,
                   DatagramTransport transport, Scheduler scheduler, InstantSource clock, RandomGenerator random) {
        this.config = config;
        this.self = self;
        this.localAddress = localAddress;
        this.transport = transport;
        this.scheduler = scheduler;
        this.random = random;
        this.clock = clock;
        this.roundTrips = new RoundTripTimes(config.rpcTimeoutFloor(), config.rpcTimeout());
        this.publicKey = config.key().publicKey();
        this.sessions = new Sessions(config.key(), config.sessionKeys(), config.sessionSlots());
        // Only a node on loopback itself (a one-machine test network) lets loopback sources past the limits.
        boolean onLoopback = localAddress.getAddress().isLoopbackAddress();
        this.table = new RoutingTable(self, config.k(), new AdmissionLimits(config.maxContactsPerSubnetPerBucket(),
                config.maxContactsPerSubnet(), onLoopback), clock);
        this.store = new PeerStore(clock, config.storageTtl(), new PeerStore.Limits(config.maxPeersPerKey(), 1,
                config.maxStoredPerSource(), config.maxPeersTotal()));
        this.records = new RecordStore(clock, config.storageTtl(), new RecordStore.Limits(config.maxRecordsPerKey(),
                RECORDS_PER_KEY_PER_SOURCE, config.maxStoredPerSource(), config.maxRecordsTotal()));
        this.onLoopback = onLoopback;
        this.responder = new Responder(self, config.k(), config.storeSlack(), onLoopback, table,
                new WriteTokens(clock, random, config.tokenRotation()), store, records, config.maxRecordsPerKey());
        this.rateLimit = new SourceRateLimit(clock, config.datagramsPerSecondPerIp(), onLoopback);
        this.newSessions = new SessionBudget(clock, config.newSessionsPerSecond(), onLoopback);
        this.own = new Publications(config.maxRecordsPerKey());
        this.announcers = new AnnouncerEndpoints(clock, config.storageTtl(), config.maxPeersTotal());
        this.connectsPerSource = new SourceRateLimit(clock, INTRODUCTIONS_PER_SECOND, INTRODUCTION_BURST, onLoopback);
        this.introductionsPerAnnouncer = new SourceRateLimit(clock, INTRODUCTIONS_PER_SECOND, INTRODUCTION_BURST, onLoopback);
        this.introductionsAccepted = new SourceRateLimit(clock, INTRODUCTIONS_PER_SECOND, INTRODUCTION_BURST, onLoopback);
        this.introductionsPerHolder =
                new SourceRateLimit(clock, INTRODUCTIONS_PER_SECOND, INTRODUCTION_BURST, onLoopback);
        // Behind a one-to-one NAT, an observer sees the external address with our port: reachable as if untranslated.
        Set<InetAddress> ownIps = new HashSet<>(interfaceIps);
        ownIps.addAll(config.externalAddresses());
        this.mapping = new MappingClassifier(observed -> observed.getPort() == localAddress.getPort()
                && (observed.getAddress().equals(localAddress.getAddress()) || ownIps.contains(observed.getAddress())), clock);
        every(PURGE_INTERVAL, () -> {
            store.purgeExpired();
            records.purgeExpired();
            announcers.purgeExpired();
            rateLimit.forgetIdle();
            updateGauges();
        });
        every(config.bucketRefreshInterval().dividedBy(4), this::refreshIdleBuckets);
        every(config.republishInterval(), this::republishOwn);
        every(KEEPALIVE_INTERVAL, this::keepHoldersAlive);
    }

    @Override
    public NodeId id() {
        return self;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Routing-table size and counters; safe to call from any thread. */
    @Override
    public DhtStatus status() {
        return new DhtStatus((int) counters.get("routing.size"), counters.snapshot(), reachability);
    }

    /** Announcements and records stored here from the sources {@code from} matches (all: every entry stored here). */
    public int storedFrom(java.util.function.Predicate<InetSocketAddress> from) {
        return store.heldByAny(from) + records.heldByAny(from);
    }

    /** The contacts of the routing table, e.g. for a snapshot to {@link #rejoin} from after a restart. */
    public List<Contact> contacts() {
        return table.contacts();
    }

    // ---- inbound -------------------------------------------------------------------------------

    /** One inbound datagram; malformed input is dropped and counted, never thrown. */
    public void onDatagram(InetSocketAddress from, byte[] data) {
        if (closed) {
            return;
        }
        if (!rateLimit.admit(from.getAddress())) {
            drop("RATE_LIMITED", from, data.length + " bytes");
            return;
        }
        Envelope.Opened opened = Envelope.open(data);
        if (opened instanceof Envelope.Opened.Rejected rejected) {
            drop(rejected.reason().name(), from, rejected.detail());
            return;
        }
        Decoded decoded = CODECS.get().decode(((Envelope.Opened.Carrying) opened).message());
        if (decoded instanceof Decoded.Rejected rejected) {
            drop(rejected.reason().name(), from, rejected.detail());
            return;
        }
        Message message = ((Decoded.Ok) decoded).message();
        if (message.sender().equals(self)) {
            drop("SELF", from, "our own id");
            return;
        }
        boolean requestEnvelope = opened instanceof Envelope.Opened.Request
                || opened instanceof Envelope.Opened.TaggedRequest;
        if (requestEnvelope != message instanceof Request) {
            drop(RejectReason.MALFORMED.name(), from, typeName(message) + " in the wrong envelope");
            return;
        }
        counters.increment("rpc.received." + typeName(message));
        if (opened instanceof Envelope.Opened.Request r) {
            onRequest(from, r.senderKey(), (Request) message, data.length, Optional.empty());
        } else if (opened instanceof Envelope.Opened.TaggedRequest r) {
            onRequest(from, r.senderKey(), (Request) message, data.length, Optional.of(r.datagram()));
        } else {
            onResponse(from, (Envelope.Opened.Response) opened, (Response) message);
        }
        updateGauges();
    }

    /**
     * Who sent a request: its address, its DHT key, the session key its answer is authenticated under, and whether the
     * request itself came tagged under it (its sender holds that key, wherever the datagram claims to come from).
     */
    private record Peer(InetSocketAddress address, byte[] key, byte[] session, boolean authenticated) {
    }

    /**
     * Answers a request within what it brought ({@code received} bytes: {@link AmplificationLimit}), then checks its
     * sender with a PING if it could enter the table and that PING still fits in what is left.
     */
    private void onRequest(InetSocketAddress from, byte[] senderKey, Request request, int received,
            Optional<byte[]> taggedDatagram) {
        Optional<byte[]> session = sessions.known(senderKey);
        if (session.isEmpty()) {
            // A key we keep no session for costs an X25519, and spoofed senders could bring a fresh one every time.
            if (!newSessions.admit(from.getAddress())) {
                drop("SESSION_BUDGET", from, typeName(request) + " from a key we keep no session for");
                return;
            }
            session = sessions.derive(senderKey, Sessions.Standing.ASKED_US);
            if (session.isEmpty()) {
                // No answer could be authenticated for it: nothing it asks is done (a store, a withdrawal, a forward).
                drop("BAD_KEY", from, "a small-order key gives no session");
                return;
            }
        }
        if (taggedDatagram.isPresent() && !Envelope.tagHolds(taggedDatagram.get(), session.get())) {
            drop("BAD_TAG", from, typeName(request) + " not authenticated by the key it carries");
            return;
        }
        Peer peer = new Peer(from, senderKey, session.get(), taggedDatagram.isPresent());
        if (request instanceof ConnectRequest connect) {
            forwardConnect(peer, connect);
            return;
        }
        if (request instanceof Introduce introduce) {
            onIntroduce(peer, introduce);
            return;
        }
        if (isReadOnly()) {
            // Behind a NAT we would answer only while the asker's flow lives, then be named to others and time out
            // there: as BEP 43's read-only nodes, we answer no request, so nobody puts us in a routing table. Only
            // introductions (above) reach us, from the holders our keepalives keep our router open to.
            drop("READ_ONLY", from, typeName(request));
            return;
        }
        Responder.Reply reply = responder.respond(from, request);
        if (reply instanceof Responder.Reply.Answer && request instanceof AnnouncePeer a) {
            announcers.announced(a.key(), new InetSocketAddress(from.getAddress(), a.port()), from, peer.session());
        } else if (reply instanceof Responder.Reply.Answer && request instanceof WithdrawPeer w) {
            announcers.withdrawn(w.key(), new InetSocketAddress(from.getAddress(), w.port()));
        }
        int left = received;
        if (reply instanceof Responder.Reply.Answer answer) {
            left -= sendWithin(peer, answer.response(), received);
        } else {
            drop(((Responder.Reply.Refused) reply).reason(), from, typeName(request));
        }
        verifyIfUseful(new Contact(request.sender(), from), peer.key(), left, !(request instanceof Ping));
    }

    /** Sends {@code reply} trimmed to at most {@code budget} bytes, or nothing if it cannot be; returns the bytes sent. */
    private int sendWithin(Peer to, Response reply, int budget) {
        int room = budget - Envelope.RESPONSE_OVERHEAD;
        Optional<AmplificationLimit.Fit> encoded = encoded(reply, () -> AmplificationLimit.fit(reply, room, CODECS.get()));
        if (encoded.isEmpty()) {
            return 0;
        }
        AmplificationLimit.Fit fit = encoded.get();
        if (fit instanceof AmplificationLimit.Fit.TooLarge) {
            drop("REPLY_OVER_REQUEST", to.address(), typeName(reply) + " larger than the " + budget + " bytes asked with");
            return 0;
        }
        byte[] message;
        if (fit instanceof AmplificationLimit.Fit.Trimmed trimmed) {
            counters.increment("reply.trimmed." + typeName(reply));
            message = trimmed.datagram();
        } else {
            message = ((AmplificationLimit.Fit.Whole) fit).datagram();
        }
        byte[] datagram = Envelope.response(publicKey, to.session(), message);
        transmit(to.address(), reply, datagram);
        return datagram.length;
    }

    /** Answers {@code to} with {@code reply} whole (a small acknowledgement), authenticated for its key. */
    private void answer(Peer to, Response reply) {
        sendWithin(to, reply, Integer.MAX_VALUE);
    }

    /**
     * A storer asked to introduce a getter to a peer it stores: forwarded only to the UDP endpoint that announced that
     * very entry, within the rate limits per requesting IP and per announcer; answered once the announcer took it.
     */
    private void forwardConnect(Peer peer, ConnectRequest connect) {
        InetSocketAddress from = peer.address();
        if (!connectsPerSource.admit(from.getAddress())) {
            drop("CONNECT_RATE_LIMITED", from, "from " + from.getAddress());
            return;
        }
        Optional<AnnouncerEndpoints.Announcer> announcer = announcers.announcerOf(connect.key(), connect.peer());
        if (announcer.isEmpty()) {
            drop("CONNECT_UNKNOWN_PEER", from, connect.peer() + " did not announce here");
            return;
        }
        InetSocketAddress sharer = announcer.get().udp();
        if (!introductionsPerAnnouncer.admit(sharer.getAddress())) {
            drop("CONNECT_RATE_LIMITED", from, "to " + sharer);
            return;
        }
        // The getter's IP is where its datagram came from, never an address it claims: the peer can only be sent
        // back towards the requester.
        InetSocketAddress getter = new InetSocketAddress(from.getAddress(), connect.port());
        counters.increment("rendezvous.forwarded");
        // Tagged under our session with the sharer: it acts on an introduction only from a holder that proves itself.
        call(sharer, Optional.empty(), new Introduce(newTxId(), self, connect.key(), getter),
                Optional.of(announcer.get().session())).whenComplete((r, e) -> {
            if (e == null) {
                answer(peer, new ConnectForwarded(connect.txId(), self, from));
            }
        });
    }

    /**
     * An introduction from a node we announced to (no other may make us dial anyone), for a key we announce, within
     * a rate limit: acknowledged, and handed to whoever dials.
     */
    private void onIntroduce(Peer peer, Introduce introduce) {
        InetSocketAddress from = peer.address();
        NodeId holder = holders.get(from);
        if (holder == null || !own.announces(introduce.key())) {
            drop("INTRODUCE_UNASKED", from, "not a holder of our announcement of " + introduce.key());
            return;
        }
        // The source address proves nothing (a datagram's is anyone's to write): the holder's tag does, under the key
        // its id is made of.
        if (!peer.authenticated() || !holder.equals(introduce.sender()) || (config.idBinding() != IdBinding.NOT_CHECKED
                && !IdRule.binds(holder, from.getAddress(), peer.key()))) {
            drop("INTRODUCE_UNAUTHENTICATED", from, "not tagged by the holder " + holder);
            return;
        }
        InetAddress getterIp = introduce.getter().getAddress();
        AddressScope getterScope = AddressScope.of(getterIp);
        // Dialled as a peer named by others is: never somewhere this node's lookups would not follow (its loopback,
        // a private network it is not on), nor on a network more local than the holder's, which it cannot have seen
        // the getter on (a holder on the internet names no getter on our LAN).
        if (getterScope.isUndialable() || !config.contactFilter().reach().contains(getterScope)
                || getterScope.compareTo(AddressScope.of(from.getAddress())) < 0) {
            drop("INTRODUCE_UNASKED", from, "getter " + introduce.getter());
            return;
        }
        if (!introductionsPerHolder.admit(from.getAddress()) || !introductionsAccepted.admit(getterIp)) {
            drop("INTRODUCE_RATE_LIMITED", from, "getter " + introduce.getter());
            return;
        }
        answer(peer, new Introduced(introduce.txId(), self, from));
        counters.increment("rendezvous.introduced");
        introductions.accept(new Introduction(introduce.key(), introduce.getter(), from));
    }

    /**
     * Whether we serve as a read-only node: behind a NAT by our own verdict (a node that does not know yet answers,
     * as one on an open address must).
     */
    private boolean isReadOnly() {
        Mapping m = reachability.mapping();
        return m == Mapping.PORT_PRESERVING || m == Mapping.SYMMETRIC;
    }

    /** Behind a NAT (any mapping but open), pings the holders of our announcements so their way to us stays open. */
    private void keepHoldersAlive() {
        if (reachability.mapping() == Mapping.OPEN || !own.announcesAny()) {
            return;
        }
        for (InetSocketAddress holder : List.copyOf(holders.keySet())) {
            counters.increment("rendezvous.keepalive");
            call(holder, new Ping(newTxId(), self));
        }
    }

    private void holderAccepted(Contact holder) {
        holders.remove(holder.address());
        holders.put(holder.address(), holder.id());
        if (holders.size() > MAX_KEEPALIVE_HOLDERS) {
            holders.remove(holders.keySet().iterator().next());
        }
    }

    private void onResponse(InetSocketAddress from, Envelope.Opened.Response opened, Response response) {
        PendingRequests.Match match = pending.match(from, response);
        if (match != PendingRequests.Match.MATCHED) {
            drop(match.name(), from, typeName(response));
            return;
        }
        // Checked only once it answers a request of ours, so nobody makes us derive keys for unasked datagrams. A
        // failed check leaves the request waiting: it times out and counts against the contact asked. The answers
        // taken from an id not bound to where it comes from (a node behind a NAT, its id bound to its LAN address) are
        // an introduction's and a PONG, for what it tells us of our own address; they end no lookup, enter no table.
        boolean bound = config.idBinding() == IdBinding.NOT_CHECKED
                || IdRule.binds(response.sender(), from.getAddress(), opened.senderKey());
        if (!bound && !(response instanceof Introduced || response instanceof Pong)) {
            drop("ID_NOT_BOUND", from, response.sender() + " is not the id of its key at " + from.getAddress());
            return;
        }
        // The tag before the session cache: a forged answer, whatever key it claims, keeps and raises no session. An
        // unbound id's key is any stranger's, made at will for a chosen slot: kept as one that only asked us.
        Sessions.Standing earned = bound ? Sessions.Standing.ANSWERED_US : Sessions.Standing.ASKED_US;
        if (sessions.proven(opened.senderKey(), earned, session -> Envelope.tagHolds(opened.datagram(), session))
                .isEmpty()) {
            drop("BAD_TAG", from, typeName(response) + " not authenticated by the key it carries");
            return;
        }
        // It answered a request of ours: that is what earns a place in the routing table.
        Contact contact = new Contact(response.sender(), from);
        Admission admission = bound ? table.recordAnswer(contact) : Admission.ID_NOT_BOUND;
        if (admission == Admission.ADDED) {
            replicateTo(contact);
        } else if (admission == Admission.BUCKET_FULL) {
            challengeOldest(contact.id());
        } else if (admission == Admission.SUBNET_LIMIT || admission == Admission.ID_NOT_BOUND) {
            counters.increment("routing.refused." + admission);
        }
        if (mapping.observe(from.getAddress(), response.observed()) == MappingClassifier.Observation.IMPLAUSIBLE) {
            counters.increment("reach.implausible");
        }
        reachability = mapping.classify();
        long sent = pending.complete(response);
        if (sent >= 0) {
            roundTrips.sample(from, nowNanos() - sent);
        }
    }

    /**
     * Ping-then-evict: a newcomer (now in the replacement cache) gets a place only if the bucket's
     * least-recently-seen contact fails repeated pings, so long-lived nodes keep their places and one
     * lost datagram evicts nobody.
     */
    private void challengeOldest(NodeId near) {
        Optional<Contact> oldest = table.leastRecentlySeenNear(near);
        if (oldest.isEmpty() || verifying.size() >= MAX_VERIFICATIONS || !verifying.add(oldest.get().id())) {
            return;
        }
        challenge(oldest.get());
    }

    private void challenge(Contact incumbent) {
        call(incumbent, new Ping(newTxId(), self)).whenComplete((r, e) -> {
            if (e instanceof RpcTimeoutException && table.contains(incumbent.id()) && !closed) {
                challenge(incumbent); // failed once: the table drops it after MAX_FAILURES in a row
                return;
            }
            verifying.remove(incumbent.id());
        });
    }

    /**
     * Pings a node that contacted us, with {@code key}, if it could enter the table; only an answer lets it in. Not if
     * its id is not the one its key and address give (a node behind a NAT, seen at another address than its id is
     * bound to, is answered but never taken in; while we do not know how we are seen, it is still pinged, for what its
     * answer tells us of our own address). Not if the PING would take the bytes sent to its address past the
     * {@code budget} its request left (a spoofed source gets no extra datagram); counted if {@code counted} (a PING,
     * padded for its PONG only, never leaves room: nothing to count).
     */
    private void verifyIfUseful(Contact contact, byte[] key, int budget, boolean counted) {
        if (table.contains(contact.id()) || !table.hasRoomFor(contact.id())) {
            return;
        }
        // After the table's checks: most requests come from known contacts, and the rule costs a SHA-256.
        if (config.idBinding() == IdBinding.ENFORCED && reachability.mapping() != Mapping.UNKNOWN
                && !IdRule.binds(contact.id(), contact.address().getAddress(), key)) {
            counters.increment("verify.skipped.ID_NOT_BOUND");
            return;
        }
        if (budget < RequestPadding.pingDatagram(contact.address())) {
            if (counted) {
                counters.increment("verify.skipped.BUDGET");
            }
            return;
        }
        if (verifying.size() >= MAX_VERIFICATIONS || !verifying.add(contact.id())) {
            return;
        }
        call(contact.address(), Optional.of(contact.id()), new Ping(newTxId(), self))
                .whenComplete((r, e) -> verifying.remove(contact.id()));
    }

    /**
     * Replication on join: records we hold for keys the newcomer is closer to than we are are handed to
     * it, so they stay findable at the k closest as the membership shifts. Announced peers are not
     * replicated (a store is bound to the announcer's address); their announcers renew them instead.
     */
    private void replicateTo(Contact newcomer) {
        int budget = MAX_REPLICATED_VALUES;
        for (NodeId key : records.keys()) {
            if (budget <= 0) {
                break;
            }
            if (NodeId.byDistanceTo(key).compare(newcomer.id(), self) >= 0) {
                continue;
            }
            List<RecordValue> values = records.get(key, Math.min(budget, config.maxRecordsPerKey()));
            if (values.isEmpty()) {
                continue;
            }
            budget -= values.size();
            counters.increment("store.replicated.keys");
            call(newcomer, new GetRecords(newTxId(), self, key, 0)).thenAccept(r -> {
                WriteToken token = ((Records) r).token();
                for (RecordValue value : values) {
                    // The replica gets what is left of the original's lifetime, never a fresh one.
                    long left = records.remainingLifetime(key, value).toSeconds();
                    if (left >= 1) {
                        call(newcomer, new PutRecord(newTxId(), self, key, value, (int) left, token));
                    }
                }
            });
        }
    }

    // ---- operations ----------------------------------------------------------------------------

    /**
     * Pings the seeds given, then looks up our own id; completes with the routing-table size, or exceptionally
     * if none of them answered. From then on the seeds are retried periodically while the table is empty (the first
     * {@link #MAX_SEEDS} given over the node's life; a later one is pinged here only).
     */
    @Override
    public CompletableFuture<Integer> bootstrap(Collection<InetSocketAddress> newSeeds) {
        Set<InetSocketAddress> given = new LinkedHashSet<>(newSeeds);
        for (InetSocketAddress seed : given) {
            if (seeds.size() < MAX_SEEDS) {
                seeds.add(seed);
            }
        }
        return pingAndLookUpSelf(given);
    }

    /**
     * Like {@link #bootstrap} for a neighbour found on the LAN, but it is retried among the newest
     * {@link #MAX_NEIGHBOURS} heard, apart from the seeds: neighbours heard before the seeds are given, however many,
     * leave every seed retried.
     */
    public CompletableFuture<Integer> bootstrapFromNeighbour(InetSocketAddress neighbour) {
        if (neighbours.isEmpty()) {
            neighbours = Optional.of(new NewestKept<>(MAX_NEIGHBOURS));
        }
        neighbours.get().add(neighbour);
        return pingAndLookUpSelf(Set.of(neighbour));
    }

    private CompletableFuture<Integer> pingAndLookUpSelf(Set<InetSocketAddress> given) {
        // The seeds given now only: pinging every earlier one again cost a node that keeps adding seeds (LAN discovery
        // does, a neighbour at a time) a ping to each of them per neighbour.
        startSeedRetry();
        return pingSeeds(given).thenCompose(answered -> {
            if (answered == 0) {
                return CompletableFuture.failedFuture(new NoSeedAnsweredException(given.size()));
            }
            return findNode(self).thenApply(closest -> table.size());
        });
    }

    /**
     * Rejoins after a restart from the contacts of a saved routing table: up to {@link #MAX_REJOIN_CONTACTS}
     * of them, picked at random, are pinged and retried exactly like bootstrap seeds; completes with the
     * routing-table size.
     */
    public CompletableFuture<Integer> rejoin(Collection<Contact> saved) {
        List<InetSocketAddress> addresses = new ArrayList<>(saved.stream().map(Contact::address).distinct().toList());
        // Partial Fisher-Yates with the injected randomness: a fair sample, and deterministic in simulation.
        int n = Math.min(MAX_REJOIN_CONTACTS, addresses.size());
        for (int i = 0; i < n; i++) {
            Collections.swap(addresses, i, i + random.nextInt(addresses.size() - i));
        }
        return bootstrap(addresses.subList(0, n));
    }

    /** Iterative FIND_NODE; completes with the closest contacts that answered. */
    public CompletableFuture<List<Contact>> findNode(NodeId target) {
        return lookup(LookupKind.FIND_NODE, Lookup.Goal.CLOSEST, target, contact -> call(contact, new FindNode(newTxId(), self, target))
                .thenApply(r -> LookupAnswer.nodes(((Nodes) r).contacts())))
                .thenApply(Lookup::closestAnswered);
    }

    /** Iterative GET_PEERS; completes with the peers found, including those in our own store. */
    @Override
    public CompletableFuture<Set<InetSocketAddress>> findPeers(NodeId key) {
        return lookupPeers(key).thenApply(LookupResult::peers);
    }

    /** Like {@link #findPeers}, with the lookup's hop and RPC counts. */
    @Override
    public CompletableFuture<LookupResult> lookupPeers(NodeId key) {
        LinkKeyTally keys = new LinkKeyTally();
        return getPeersLookup(key, new Lookup.Goal.Peers(config.enoughPeers()),
                (holder, peers) -> peers.forEach(keys::add)).thenApply(lookup -> {
            List<AnnouncedPeer> own = store.get(key, Peers.MAX_PEERS);
            own.forEach(keys::add);
            Set<InetSocketAddress> found = new LinkedHashSet<>(addresses(own));
            found.addAll(lookup.peers());
            return new LookupResult(found, keys.of(found), lookup.hops(), lookup.queried());
        });
    }

    /**
     * Stores the announcement locally, looks up {@code key}, then sends ANNOUNCE_PEER with their tokens
     * to the closest nodes; completes with how many remote nodes accepted. From then on the announcement
     * is renewed every {@link DhtConfig#republishInterval()}, to the closest nodes of the moment.
     */
    @Override
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        own.announced(key, port);
        return announceOnce(key, port);
    }

    /**
     * Stores a small record at the k closest nodes to {@code key} and locally, signed by our publisher key with the
     * value's hash as salt (so each distinct value is a record of its own); completes with how many remote nodes
     * accepted it. Renewed like an announcement; fails with IllegalArgumentException if the value is empty or too large.
     */
    @Override
    public CompletableFuture<Integer> put(NodeId key, byte[] value) {
        return put(key, Arrays.copyOf(sha256(value), VALUE_SALT_BYTES), value);
    }

    /**
     * Stores our one record under {@code key} and {@code salt}, signed with a sequence number above any we gave it
     * before (the clock's milliseconds, or one more), so it replaces our earlier one wherever that is stored.
     */
    @Override
    public CompletableFuture<Integer> put(NodeId key, byte[] salt, byte[] value) {
        RecordValue record;
        try {
            record = RecordValue.sign(publisher(), key, salt, nextSeq(), value);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        own.put(key, record);
        return putOnce(key, record);
    }

    private long nextSeq() {
        lastSeq = Math.max(lastSeq + 1, clock.millis());
        return lastSeq;
    }

    /** Our publisher key: the configured one, else one drawn from our randomness the first time we sign. */
    private Publisher publisher() {
        if (publisher == null) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            publisher = config.publisher().orElseGet(() -> Publisher.fromSeed(seed));
        }
        return publisher;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /**
     * Takes back our announcement under {@code key} and stops renewing it and our records there. The
     * announcement goes from our own store at once and, with a WITHDRAW_PEER, from the nodes that hold it:
     * those a GET_PEERS lookup of the key ends at, the holders a searcher's lookup reaches as well (a holder
     * answers with peers, not closer nodes). Completes with how many remote nodes confirmed. Records are not
     * bound to their publisher's address (they are replicated), so they cannot be taken back: they expire
     * within the TTL where they are stored, and go at once from our own store.
     */
    @Override
    public CompletableFuture<Integer> withdraw(NodeId key) {
        Publications.Withdrawn withdrawn = own.withdraw(key);
        withdrawn.values().forEach(value -> records.remove(key, value));
        withdrawn.port().ifPresent(port -> {
            store.withdraw(key, new InetSocketAddress(advertisedIp(), port));
            store.withdraw(key, new InetSocketAddress(announcedIp(), port));
        });
        updateGauges();
        if (withdrawn.port().isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        int port = withdrawn.port().get();
        return getPeersLookup(key, Lookup.Goal.CLOSEST).thenCompose(lookup ->
                writeTo(lookup, (holder, token) -> new WithdrawPeer(newTxId(), self, key, port, token)));
    }

    /** Iterative GET_RECORDS; completes with the distinct values of the validly signed records found, our own store included. */
    @Override
    public CompletableFuture<List<byte[]>> get(NodeId key) {
        return getRecords(key).thenApply(found -> found.stream().map(RecordValue::value)
                .map(java.nio.ByteBuffer::wrap).distinct().map(java.nio.ByteBuffer::array).toList());
    }

    /**
     * Iterative GET_RECORDS; completes with the records found whose signatures hold (checked as they arrive), our own
     * store included, the newest version of each publisher's slot only.
     */
    @Override
    public CompletableFuture<List<RecordValue>> getRecords(NodeId key) {
        return recordsLookup(key, MAX_PAGED_HOLDERS, Lookup.Goal.VALUES).thenApply(lookup -> {
            Map<NodeId, RecordValue> newest = new LinkedHashMap<>();
            Stream.concat(records.get(key, config.maxRecordsPerKey()).stream(), lookup.values().stream())
                    .forEach(r -> newest.merge(r.slot(), r, (a, b) -> b.seq() > a.seq() ? b : a));
            return List.copyOf(newest.values());
        });
    }

    /**
     * Asks the nodes that store {@code peer} under {@code key} (a GET_PEERS lookup finds them: they answer with it) to
     * introduce us to it, as a getter at our source IP and TCP {@code port}; at most {@link #MAX_INTRODUCERS} of them.
     * Completes with those that forwarded it (the peer acknowledged); none if none stores it or none got through.
     */
    @Override
    public CompletableFuture<List<InetSocketAddress>> requestIntroduction(NodeId key, InetSocketAddress peer, int port) {
        List<Contact> storers = new ArrayList<>();
        return getPeersLookup(key, new Lookup.Goal.Peers(config.enoughPeers()), (holder, peers) -> {
            if (addresses(peers).contains(peer)) {
                storers.add(holder);
            }
        }).thenCompose(done -> {
                    List<InetSocketAddress> forwarded = new ArrayList<>();
                    CompletableFuture<?>[] calls = storers.stream().limit(MAX_INTRODUCERS)
                            .map(storer -> call(storer, new ConnectRequest(newTxId(), self, key, peer, port))
                                    .handle((r, e) -> e == null && forwarded.add(storer.address())))
                            .toArray(CompletableFuture<?>[]::new);
                    return CompletableFuture.allOf(calls).thenApply(v -> List.copyOf(forwarded));
                });
    }

    /** Who is told of each introduction a holder of our announcements makes (replaces the previous listener). */
    @Override
    public void onIntroduction(Consumer<Introduction> listener) {
        this.introductions = listener;
    }

    /** Stops timers and fails outstanding requests; later datagrams are ignored. */
    @Override
    public void close() {
        closed = true;
        timers.forEach(Scheduler.Cancellable::cancel);
        pending.failAll(new CancellationException("DHT node closed"));
    }

    // ---- internals -----------------------------------------------------------------------------

    private CompletableFuture<Integer> announceOnce(NodeId key, int port) {
        store.put(key, AnnouncedPeer.of(new InetSocketAddress(announcedIp(), port), config.linkKey()), ownSource());
        return getPeersLookup(key, Lookup.Goal.CLOSEST).thenCompose(lookup -> writeTo(lookup,
                (holder, token) -> new AnnouncePeer(newTxId(), self, key, port, token, config.linkKey()), this::holderAccepted));
    }

    private CompletableFuture<Integer> putOnce(NodeId key, RecordValue value) {
        records.put(key, value, ownSource());
        return recordsLookup(key, 0, Lookup.Goal.CLOSEST).thenCompose(lookup ->
                writeTo(lookup, (holder, token) -> new PutRecord(newTxId(), self, key, value, ttlSeconds(), token)));
    }

    /**
     * Sends one write request (store or withdraw) to each of the closest nodes that gave a token; completes
     * with how many accepted.
     */
    private CompletableFuture<Integer> writeTo(Lookup lookup, BiFunction<Contact, WriteToken, Request> request) {
        return writeTo(lookup, request, holder -> { });
    }

    /** As {@link #writeTo(Lookup, BiFunction)}, telling {@code accepted} of each node that accepted. */
    private CompletableFuture<Integer> writeTo(Lookup lookup, BiFunction<Contact, WriteToken, Request> request,
                                               Consumer<Contact> accepted) {
        List<TokenHolder> tokenHolders = lookup.tokenHolders();
        AtomicInteger count = new AtomicInteger();
        CompletableFuture<?>[] calls = new CompletableFuture<?>[tokenHolders.size()];
        for (int i = 0; i < tokenHolders.size(); i++) {
            TokenHolder h = tokenHolders.get(i);
            calls[i] = call(h.contact(), request.apply(h.contact(), h.token()))
                    .handle((r, e) -> {
                        if (e != null) {
                            return 0;
                        }
                        accepted.accept(h.contact());
                        return count.incrementAndGet();
                    });
        }
        return CompletableFuture.allOf(calls).thenApply(v -> count.get());
    }

    private CompletableFuture<Lookup> getPeersLookup(NodeId key, Lookup.Goal goal) {
        return getPeersLookup(key, goal, (holder, peers) -> { });
    }

    /** A GET_PEERS lookup that tells {@code answered} of each answer: who gave it and its peers (with their link keys). */
    private CompletableFuture<Lookup> getPeersLookup(NodeId key, Lookup.Goal goal,
            BiConsumer<Contact, List<AnnouncedPeer>> answered) {
        return lookup(LookupKind.GET_PEERS, goal, key, contact -> call(contact, new GetPeers(newTxId(), self, key)).thenApply(r -> {
            Peers p = (Peers) r;
            answered.accept(contact, p.peers());
            return new LookupAnswer(p.nodes(), addresses(p.peers()), Optional.of(p.token()));
        }));
    }

    private static List<InetSocketAddress> addresses(List<AnnouncedPeer> peers) {
        return peers.stream().map(AnnouncedPeer::address).toList();
    }

    /**
     * GET_RECORDS lookup. A holder with more values than one reply holds is asked for further pages, but
     * only the first {@code pagedHolders} such holders: the k closest hold the same records, so a few
     * complete answers are enough and the rest need not cost extra round trips.
     */
    private CompletableFuture<Lookup> recordsLookup(NodeId key, int pagedHolders, Lookup.Goal goal) {
        AtomicInteger paged = new AtomicInteger();
        return lookup(LookupKind.GET_RECORDS, goal, key, contact -> recordPages(contact, key, 0, new ArrayList<>(),
                () -> paged.getAndIncrement() < pagedHolders));
    }

    /** Fetches {@code contact}'s records from {@code skip} on, page after page while it has more and paging is granted. */
    private CompletableFuture<LookupAnswer> recordPages(Contact contact, NodeId key, int skip, List<RecordValue> received,
                                                       BooleanSupplier mayPage) {
        return call(contact, new GetRecords(newTxId(), self, key, skip)).thenCompose(r -> {
            Records rec = (Records) r;
            for (RecordValue value : rec.values()) {
                if (value.verifies(key)) {
                    received.add(value);
                } else {
                    counters.increment("records.badSignature"); // forged, or stored under another key
                }
            }
            boolean more = rec.remaining() > 0 && !rec.values().isEmpty()
                    && skip + rec.values().size() < config.maxRecordsPerKey() && (skip > 0 || mayPage.getAsBoolean());
            if (more) {
                return recordPages(contact, key, skip + rec.values().size(), received, mayPage);
            }
            return CompletableFuture.completedFuture(
                    new LookupAnswer(rec.nodes(), List.of(), Optional.of(rec.token()), received));
        });
    }

    /** The one lookup engine behind every operation; counts lookups, their hops and their RPCs. */
    private CompletableFuture<Lookup> lookup(LookupKind kind, Lookup.Goal goal, NodeId target,
                                             Function<Contact, CompletableFuture<LookupAnswer>> query) {
        table.touch(target); // a lookup through a bucket's range is what a refresh would do
        Lookup lookup = new Lookup(target, self, table.closest(target, config.k()), config.k(), config.alpha(), goal,
                config.lookupBounds(), config.lookupPaths());
        Function<Contact, CompletableFuture<LookupAnswer>> filtered = contact -> query.apply(contact).thenApply(this::followable);
        Instant started = clock.instant();
        return IterativeLookup.run(lookup, filtered, c -> roundTrips.timeoutFor(c.address()), scheduler,
                config.lookupTimeLimit()).thenApply(done -> {
            Duration took = Duration.between(started, clock.instant());
            lookupListeners.forEach(l -> l.lookupDone(kind.name(), took));
            counters.increment("lookup.count");
            done.endedBy().ifPresent(bound -> counters.increment("lookup.bounded." + bound));
            counters.increment("lookup.count." + kind);
            counters.add("lookup.hops.total", done.hops());
            counters.add("lookup.rpcs.total", done.queried());
            return done;
        });
    }

    /**
     * {@code answer} without the contacts this node does not follow: on networks it does not reach ({@link ContactFilter})
     * or, ids enforced, with an id its address cannot have ({@link IdRule#prefixMatches}: a made-up id next to a key).
     * Counted.
     */
    private LookupAnswer followable(LookupAnswer answer) {
        List<Contact> reached = answer.nodes().stream().filter(config.contactFilter()::follows).toList();
        List<Contact> kept = config.idBinding() == IdBinding.NOT_CHECKED ? reached : reached.stream()
                .filter(c -> IdRule.prefixMatches(c.id(), c.address().getAddress())).toList();
        if (kept.size() == answer.nodes().size()) {
            return answer;
        }
        counters.add("lookup.contacts.filtered", answer.nodes().size() - reached.size());
        counters.add("lookup.contacts.unbound", reached.size() - kept.size());
        return new LookupAnswer(kept, answer.peers(), answer.token(), answer.values());
    }

    /** Bucket refresh: a lookup of a random id in the range of each bucket nothing has touched for a while. */
    private void refreshIdleBuckets() {
        for (int index : table.bucketsIdleFor(config.bucketRefreshInterval())) {
            counters.increment("routing.refreshes");
            findNode(NodeId.randomInBucket(self, index, random));
        }
    }

    /** Renews our own announcements and records, at whichever nodes are the closest now. */
    private void republishOwn() {
        own.forEachAnnouncement((key, port) -> {
            counters.increment("store.republished");
            announceOnce(key, port);
        });
        own.forEachRecord((key, value) -> {
            counters.increment("store.republished");
            putOnce(key, value);
        });
    }

    private CompletableFuture<Integer> pingSeeds(Collection<InetSocketAddress> which) {
        AtomicInteger answered = new AtomicInteger();
        CompletableFuture<?>[] pings = which.stream()
                .map(seed -> call(seed, new Ping(newTxId(), self)).handle((r, e) -> e == null ? answered.incrementAndGet() : 0))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(pings).thenApply(v -> answered.get());
    }

    private void startSeedRetry() {
        if (seedRetryStarted) {
            return;
        }
        seedRetryStarted = true;
        every(config.seedRetryInterval(), () -> {
            if (table.size() == 0) {
                Set<InetSocketAddress> retried = new LinkedHashSet<>(seeds);
                neighbours.ifPresent(n -> retried.addAll(n.elements()));
                log.debug("{}: routing table empty, retrying {} seeds and LAN neighbours", self, retried.size());
                pingSeeds(retried).thenAccept(answered -> {
                    if (answered > 0) {
                        findNode(self);
                    }
                });
            }
        });
    }

    /** Runs {@code task} every {@code interval} until the node closes; one timer slot per periodic task. */
    private void every(Duration interval, Runnable task) {
        int slot = timers.size();
        timers.add(null);
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (closed) {
                return;
            }
            task.run();
            timers.set(slot, scheduler.schedule(interval, tick[0]));
        };
        timers.set(slot, scheduler.schedule(interval, tick[0]));
    }

    /** A request to a known contact: an unanswered one counts against it in the routing table. */
    private CompletableFuture<Response> call(Contact contact, Request request) {
        CompletableFuture<Response> result = call(contact.address(), Optional.of(contact.id()), request);
        result.whenComplete((r, e) -> {
            if (e instanceof RpcTimeoutException && table.recordFailure(contact.id())) {
                counters.increment("routing.evicted");
                updateGauges();
            }
        });
        return result;
    }

    private CompletableFuture<Response> call(InetSocketAddress to, Request request) {
        return call(to, Optional.empty(), request);
    }

    private CompletableFuture<Response> call(InetSocketAddress to, Optional<NodeId> asked, Request request) {
        return call(to, asked, request, Optional.empty());
    }

    /**
     * Sends {@code request}, tagged under {@code tagUnder} if given; the answer must come from {@code to} and, if
     * given, from the node {@code asked}.
     */
    private CompletableFuture<Response> call(InetSocketAddress to, Optional<NodeId> asked, Request request,
            Optional<byte[]> tagUnder) {
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
        pending.add(to, asked, request, result, timeout, nowNanos());
        send(to, request, tagUnder);
        return result;
    }

    private void send(InetSocketAddress to, Request request, Optional<byte[]> tagUnder) {
        // A request is padded so that its answer may be whole (a responder sends no more than it brought).
        encoded(request, () -> CODECS.get().encode(request, RequestPadding.of(request, to)))
                .ifPresent(message -> transmit(to, request, tagUnder.isPresent()
                        ? Envelope.taggedRequest(publicKey, tagUnder.get(), message)
                        : Envelope.request(publicKey, message)));
    }

    /**
     * What {@code encoding} makes of {@code message}, or nothing if it is too big to encode. The message size limits
     * rule that out; if it happens anyway it is our bug, not the peer's: counted and logged, and the request (or the
     * asker) simply times out instead of taking the event loop down.
     */
    private <T> Optional<T> encoded(Message message, Supplier<T> encoding) {
        try {
            return Optional.of(encoding.get());
        } catch (IllegalArgumentException tooBig) {
            counters.increment("dropped.OUTGOING_OVERSIZED");
            log.error("{}: not sending an oversized {}", self, typeName(message), tooBig);
            return Optional.empty();
        }
    }

    private void transmit(InetSocketAddress to, Message message, byte[] datagram) {
        counters.increment("rpc.sent." + typeName(message));
        transport.send(to, datagram);
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private int ttlSeconds() {
        return (int) Math.max(1, Math.min(PutRecord.MAX_TTL_SECONDS, config.storageTtl().toSeconds()));
    }

    private void updateGauges() {
        counters.set("routing.size", table.size());
        counters.set("routing.replacements", table.replacementCount());
        counters.set("store.peers", store.size());
        counters.set("store.records", records.size());
        counters.set("store.evicted", store.evictions() + records.evictions());
    }

    private long newTxId() {
        long txId;
        do {
            txId = random.nextLong();
        } while (pending.isPending(txId));
        return txId;
    }

    /**
     * The IP our own store answers GET_PEERS with for our announcements: the external one observers agree on, once
     * known (behind a NAT the bound LAN address is no use to anyone outside), else the bound one.
     */
    private InetAddress announcedIp() {
        Reachability r = reachability;
        return r.mapping() == Mapping.UNKNOWN ? advertisedIp() : r.externalIp().orElse(advertisedIp());
    }

    /**
     * What our own stores count against in our own store: our address and port, which no other source has. Not our IP
     * alone, as others count us: a neighbour on the same IP (a wildcard-bound node's neighbours on loopback) would
     * take our own announcement's place in our own store.
     */
    private InetSocketAddress ownSource() {
        return new InetSocketAddress(advertisedIp(), localAddress.getPort());
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
