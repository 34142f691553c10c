package dev.kadshare.transfer.download;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.peers.SourceTally;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.store.LastStop;
import dev.kadshare.transfer.swarm.Pipelining;
import dev.kadshare.transfer.swarm.Swarm;
import dev.kadshare.transfer.swarm.SwarmAction;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one content id from many peers at once, as an I/O-free state machine: {@link #handle} takes a
 * {@link DownloadEvent} (a peer connected, a message or chunk arrived, a link closed or went idle, a store job
 * ended, a timer fired, peers were added, cancel) and returns the {@link DownloadAction}s it calls for (dial, send,
 * close, pause or resume reading, a store job for the {@link Disk}, a timer, progress, milestones). Time comes from
 * an injected clock, randomness from an injected generator; it opens no socket, touches no file and starts no
 * thread, so a Netty adapter and a simulated network drive the very same code.
 *
 * <p>Its {@link Phase}: opening (an earlier run's partial download, or the store of a manifest just fetched),
 * fetching the manifest, rechecking, transferring, finishing, over. Each peer's session lives in one
 * {@link PeerSession}; which chunk to ask of whom, and what each peer holds, in the {@link Swarm}. Not thread-safe:
 * one owner calls it (an event loop, a simulation's event queue).
 */
public final class Download {
    /**
     * How long a peer's requests may keep timing out with no chunk from it before it is dropped from the download
     * (at least three request timeouts of the content's chunks): long enough for an honest peer held to a few KB/s by
     * a rate limit, ours or its own.
     */
    static final Duration STALL_LIMIT = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(Download.class);
    /** No manifest has more chunks: it comes in one frame, 32 bytes of hash per chunk. */
    private static final int MAX_CHUNKS = FrameCodec.MAX_FRAME_LENGTH / Sha256.LENGTH;
    /**
     * The longest BITFIELD of any manifest (64 KiB): before the manifest is known a longer one is malformed, and a
     * fitting one is kept as a bit set of at most this many bytes until the manifest says how many chunks there are.
     */
    static final int MAX_BITFIELD_BYTES = bitfieldBytes(MAX_CHUNKS);

    /** The store's life as this download sees it. */
    private enum StoreLife { NONE, OPEN, CLOSED, GONE }

    private final ContentId id;
    private final DownloadOptions options;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final PeerBook peers;
    private Phase phase = new Phase.Opening(Optional.empty());
    /** The actions of the event being handled (a fresh list each time: the last one was handed out). */
    private List<DownloadAction> out = new ArrayList<>();
    private boolean progressChanged;
    /** Store jobs handed to the disk and not answered yet. */
    private int storeJobs;
    private StoreLife store = StoreLife.NONE;
    /** Abandoned: the partial download is deleted rather than kept. */
    private boolean discard;
    private boolean firstChunkTold;
    /** What readers wait for, by ticket: given to the swarm once there is one, and kept for a later one. */
    private final Map<Long, DownloadEvent.Prioritize> priorities = new LinkedHashMap<>();
    private boolean stoppedTold;

    /**
     * @param clock when requests went out and how long a rate limit holds a link back; read, never waited on
     * @param random breaks ties between equally rare chunks
     */
    public Download(ContentId id, DownloadOptions options, InstantSource clock, RandomGenerator random) {
        this.id = id;
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.peers = new PeerBook(options.maxPeers(), options.bans()::isBanned, new PeerBook.Listener() {
            @Override
            public void dial(PeerSession peer) {
                out.add(new DownloadAction.Dial(peer.link.orElseThrow()));
                transferring().ifPresent(t -> apply(t.swarm().peerConnecting(peer.address)));
            }

            @Override
            public void forgotten(InetSocketAddress address) {
                transferring().ifPresent(t -> apply(t.swarm().peerForgotten(address)));
            }
        });
    }

    public ContentId id() {
        return id;
    }

    /** Takes one event and returns what it calls for, in order. */
    public List<DownloadAction> handle(DownloadEvent event) {
        out = new ArrayList<>();
        progressChanged = false;
        if (event instanceof StoreResult result) {
            storeJobs--;
            onStoreResult(result);
        } else if (event instanceof DownloadEvent.Start start) {
            onStart(start.peers());
        } else if (event instanceof DownloadEvent.PeersAdded added) {
            addPeers(added.peers(), new SourceTally()); // one source: one DHT answer, say
        } else if (event instanceof DownloadEvent.Connected connected) {
            onConnected(connected.link(), connected.node(), connected.relayed());
        } else if (event instanceof DownloadEvent.Received received) {
            onMessage(received.link(), received.message());
        } else if (event instanceof DownloadEvent.ChunkReceived chunk) {
            onChunk(chunk.link(), chunk.index(), chunk.body());
        } else if (event instanceof DownloadEvent.LinkClosed closed) {
            onClosed(closed.link());
        } else if (event instanceof DownloadEvent.LinkIdle idle) {
            onIdle(idle.link());
        } else if (event instanceof DownloadEvent.TimerFired fired) {
            onTimer(fired.timer());
        } else if (event instanceof DownloadEvent.Prioritize wanted) {
            priorities.put(wanted.ticket(), wanted);
            transferring().ifPresent(t -> apply(t.swarm().prioritize(wanted.ticket(), wanted.first(), wanted.last())));
        } else if (event instanceof DownloadEvent.ReleasePriority released) {
            priorities.remove(released.ticket());
            transferring().ifPresent(t -> apply(t.swarm().releasePriority(released.ticket())));
        } else if (event instanceof DownloadEvent.Cancel) {
            stop();
        } else if (event instanceof DownloadEvent.Abandon) {
            abandon();
        }
        if (progressChanged) {
            out.add(new DownloadAction.PublishProgress());
        }
        return out;
    }

    /** A snapshot of where the download stands, its peers included. */
    public DownloadProgress progress() {
        Phase.Tally tally = tally();
        return new DownloadProgress(id, tally.manifest(), tally.verified(), tally.chunkCount(), tally.verifiedBytes(),
                peers.progress(), state());
    }

    /**
     * Whether chunks are owed on {@code link}: asked of its peer and neither answered, cancelled nor timed out. Only
     * then is a frame as long as a chunk given a whole chunk buffer before its bytes arrive.
     */
    public boolean awaitsChunksOn(Link link) {
        Optional<Phase.Transferring> transfer = transferring();
        return transfer.isPresent()
                && peers.on(link).map(p -> transfer.get().swarm().hasInFlight(p.address)).orElse(false);
    }

    /** True once finished, failed or cancelled: later events change nothing but the letting go of the store. */
    public boolean isOver() {
        return phase instanceof Phase.Over;
    }

    // ---- starting, and the phases before the transfer ----

    /**
     * A partial download left by an earlier run gives the manifest and progress before any peer answers: the disk
     * looks for it first, and the manifest is asked of no peer meanwhile.
     */
    private void onStart(List<InetSocketAddress> initial) {
        out.add(store(new StoreJob.Resume()));
        addPeers(initial, new SourceTally());
        progressChanged = true;
    }

    /** Learns of the addresses the dial policy admits from the source {@code tally} counts for. */
    private void addPeers(Collection<InetSocketAddress> addresses, SourceTally tally) {
        if (!running()) {
            return;
        }
        List<InetSocketAddress> admitted = new ArrayList<>(addresses.size());
        for (InetSocketAddress address : addresses) {
            if (options.dialPolicy().admits(address, tally)) {
                admitted.add(address);
            } else {
                log.debug("not dialling {}: outside this node's networks, or too many in its subnet", address);
            }
        }
        if (peers.add(admitted)) {
            progressChanged = true;
        }
    }

    private void onResumed(Optional<StoreState> found) {
        if (found.isPresent()) {
            StoreState s = found.get();
            log.info("resuming {}: {} of {} chunks already verified", s.manifest(), s.verified().cardinality(),
                    s.manifest().chunkCount());
            beginOrRecheck(s);
        } else {
            fetchManifest();
        }
    }

    private void fetchManifest() {
        phase = new Phase.FetchingManifest(Optional.empty());
        requestManifest();
        checkStarved();
    }

    /** Asks the oldest ready peer for the manifest, unless one is already asked. */
    private void requestManifest() {
        if (phase instanceof Phase.FetchingManifest f && f.askedOf().isEmpty()) {
            peers.firstReady().ifPresent(p -> {
                phase = new Phase.FetchingManifest(Optional.of(p.address));
                send(p, new Message.ManifestRequest());
                // A peer that never answers must not hold the manifest (and the download) for ever, busy or not.
                p.link.ifPresent(link -> out.add(new DownloadAction.Schedule(new Timer.ManifestDue(link),
                        manifestDeadline())));
            });
        }
    }

    /** Before the swarm exists, this phase checks for starvation itself. */
    private void checkStarved() {
        if (phase instanceof Phase.FetchingManifest && !peers.anyUsable()) {
            fail(peers.isEmpty() ? "no peers" : "no peer provided a manifest matching the content id");
        }
    }

    private void onManifest(PeerSession peer, Message.ManifestData data) {
        if (!(phase instanceof Phase.FetchingManifest f) || !f.askedOf().equals(Optional.of(peer.address))) {
            drop(peer, "unrequested MANIFEST");
            return;
        }
        phase = new Phase.FetchingManifest(Optional.empty());
        // Never trust a byte of a manifest whose hash is not the id we asked for: not even enough to decode it.
        ContentId hashed = ContentId.of(Sha256.of(data.canonicalBytes()));
        if (!hashed.equals(id)) {
            drop(peer, "manifest hashes to " + hashed);
            return;
        }
        Manifest manifest;
        try {
            manifest = Manifest.decode(data.canonicalBytes());
        } catch (MalformedManifestException e) {
            drop(peer, "malformed manifest: " + e.getMessage());
            return;
        }
        if (!manifest.contentId().equals(id)) {
            drop(peer, "manifest decodes to " + manifest.contentId()); // bytes that were not canonical
            return;
        }
        phase = new Phase.Opening(Optional.of(manifest));
        out.add(store(new StoreJob.Open(manifest)));
    }

    /** Begins with {@code s}, or first has its marked chunks hashed again if they are not proof. */
    private void beginOrRecheck(StoreState s) {
        if (s.lastStop() == LastStop.CLEAN || s.verified().isEmpty()) {
            begin(s);
        } else {
            phase = new Phase.Rechecking(s);
            out.add(store(new StoreJob.Recheck()));
        }
    }

    private void begin(StoreState s) {
        Manifest manifest = s.manifest();
        Swarm<InetSocketAddress> swarm = new Swarm<>(manifest.chunkCount(), options.maxInFlightPerPeer(),
                options.maxInFlightChunks(manifest.chunkSize()), s.verified(), clock, random,
                options.requestTimeoutFor(manifest.chunkSize()), Pipelining.ADAPTIVE, options.chunkOrder());
        // Readers that asked before the swarm existed: known before any peer is asked for anything.
        priorities.values().forEach(p -> swarm.prioritize(p.ticket(), p.first(), p.last()));
        Phase.Transferring t = new Phase.Transferring(manifest, swarm);
        phase = t;
        out.add(new DownloadAction.ManifestKnown(manifest, s.partRoot(), s.verified()));
        out.add(new DownloadAction.Schedule(new Timer.CheckRequests(), timeoutCheckPeriod()));
        tellFirstChunk(swarm); // a resumed download holds some already
        log.info("downloading {} from {} peers", manifest, peers.size());
        // What the sessions learnt before the swarm existed is the swarm's from now on: first who is there, so a peer
        // dropped below (its BITFIELD does not fit) does not leave the swarm thinking no peer is left.
        for (PeerSession p : peers.all()) {
            if (p.state == LinkState.CONNECTING || p.state == LinkState.READY) {
                apply(swarm.peerConnecting(p.address));
            }
        }
        for (PeerSession p : peers.all()) {
            if (p.state == LinkState.READY && p.chokedBeforeSwarm) {
                apply(swarm.peerChoked(p.address));
            }
            if (p.state == LinkState.READY && p.heldBeforeSwarm.isPresent()) {
                BitSet held = p.heldBeforeSwarm.get();
                if (p.bitfieldBytes > bitfieldBytes(manifest.chunkCount()) || held.length() > manifest.chunkCount()) {
                    drop(p, "BITFIELD (" + p.bitfieldBytes + " bytes) or HAVE past the manifest's "
                            + manifest.chunkCount() + " chunks");
                } else {
                    out.add(new DownloadAction.PeerHolds(p.nodeId, held));
                    apply(swarm.peerReady(p.address, held));
                }
            }
            p.heldBeforeSwarm = Optional.empty();
            p.chokedBeforeSwarm = false;
        }
        if (phase == t && (manifest.chunkCount() == 0 || swarm.isComplete())) {
            finish(); // unless the swarm said so already
        }
    }

    /**
     * How long a peer asked for the manifest has to send it: six request timeouts (2 minutes by default), as a
     * manifest may be megabytes (32 bytes a chunk) and its peer slow, say behind a rate-limited relay.
     */
    private Duration manifestDeadline() {
        return options.requestTimeout().multipliedBy(6);
    }

    private Duration timeoutCheckPeriod() {
        return Duration.ofMillis(Math.max(1, options.requestTimeout().toMillis() / 2));
    }

    // ---- peers and their messages ----

    private void onConnected(Link link, PeerId node, boolean relayed) {
        if (!running()) {
            return;
        }
        peers.on(link).ifPresent(p -> {
            p.relayed = relayed;
            if (identified(p, node)) {
                send(p, new Message.Hello(FrameCodec.PROTOCOL_VERSION, id, options.listenPort()));
            }
        });
    }

    /**
     * The link proved the peer is node {@code node}: the one place a peer's node id enters a download, checked
     * against this node itself and the node's bans; false when the peer was closed for it.
     */
    private boolean identified(PeerSession peer, PeerId node) {
        peer.nodeId = node;
        if (node.isKnown() && node.equals(options.nodeId())) {
            // Our own server, reached through some address of ours: not misbehaviour, just useless.
            log.info("{} is this node itself; closing", peer.address);
            peer.state = LinkState.SELF;
            close(peer);
            return false;
        }
        if (options.bans().isBanned(node)) {
            closeBanned(peer);
            return false;
        }
        return true;
    }

    private void onMessage(Link link, Message message) {
        Optional<PeerSession> session = peers.on(link);
        if (!running() || session.isEmpty() || session.get().state == LinkState.DROPPED
                || session.get().state == LinkState.SELF) {
            return;
        }
        PeerSession peer = session.get();
        if (closedIfBanned(peer)) {
            return;
        }
        Optional<Phase.Transferring> transfer = transferring();
        if (message instanceof Message.Hello hello) {
            onHello(peer, hello);
        } else if (message instanceof Message.Goodbye goodbye) {
            // Not misbehaviour: the peer lacks the content or speaks another version; it may be asked later.
            log.info("{} said goodbye: {}", peer.address, goodbye.reason());
            close(peer);
            peers.redialDelay(peer).ifPresent(delay ->
                    out.add(new DownloadAction.Schedule(new Timer.Redial(peer.address), delay)));
        } else if (peer.state != LinkState.READY) {
            drop(peer, "sent " + message + " before HELLO");
        } else if (message instanceof Message.ManifestData data) {
            onManifest(peer, data);
        } else if (message instanceof Message.Bitfield bitfield) {
            onBitfield(peer, bitfield);
        } else if (message instanceof Message.Have have) {
            onHave(peer, have.index());
        } else if (message instanceof Message.Reject reject) {
            onReject(peer, reject);
        } else if (message instanceof Message.Choke) {
            transfer.ifPresentOrElse(t -> apply(t.swarm().peerChoked(peer.address)),
                    () -> peer.chokedBeforeSwarm = true);
        } else if (message instanceof Message.Unchoke) {
            transfer.ifPresentOrElse(t -> apply(t.swarm().peerUnchoked(peer.address)),
                    () -> peer.chokedBeforeSwarm = false);
        } else if (message instanceof Message.Peers more) {
            addPeers(more.addresses(), peer.named); // the peer is the source: a few per subnet over its connection
        } else {
            drop(peer, "unexpected " + message);
        }
        progressChanged = true;
    }

    private void onHello(PeerSession peer, Message.Hello hello) {
        if (peer.state == LinkState.READY) {
            drop(peer, "second HELLO");
        } else if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION || !hello.contentId().equals(id)) {
            // Another version or content is no use to this download, but not bad data: dropped here, not banned.
            log.warn("dropping {}: HELLO for {} version {}", peer.address, hello.contentId(), hello.protocolVersion());
            dropFromDownload(peer);
        } else {
            peer.ready(peer.nodeId); // the swarm hears of this peer once its BITFIELD arrives
            requestManifest();
        }
    }

    /** Closes the connection of a peer the node has banned (here or in another download) and counts it; true if so. */
    private boolean closedIfBanned(PeerSession peer) {
        if (options.bans().isBanned(peer.nodeId) || options.bans().isBanned(peer.address)) {
            closeBanned(peer);
            return true;
        }
        return false;
    }

    private void closeBanned(PeerSession peer) {
        log.info("closing {}: banned for sending bad data", peer.address);
        options.drops().record(ConnectionDrop.BANNED);
        dropFromDownload(peer);
    }

    /** The number of bytes a BITFIELD of {@code chunks} chunks has at most. */
    private static int bitfieldBytes(int chunks) {
        return (chunks + 7) / 8;
    }

    /**
     * Keeps a peer's BITFIELD as a bit set sized to the manifest, never as the bytes received: longer than the
     * manifest's chunks need, or naming a chunk past them, it drops the peer. Before the manifest, one longer than any
     * manifest's could be is dropped at once, and the rest is checked once the manifest is known.
     */
    private void onBitfield(PeerSession peer, Message.Bitfield bitfield) {
        if (peer.sentBitfield) {
            drop(peer, "second BITFIELD");
            return;
        }
        peer.sentBitfield = true;
        int chunks = manifest().map(Manifest::chunkCount).orElse(MAX_CHUNKS);
        if (bitfield.bits().length > bitfieldBytes(chunks)) {
            drop(peer, "BITFIELD of " + bitfield.bits().length + " bytes for " + chunks + " chunks at most");
            return;
        }
        peer.bitfieldBytes = bitfield.bits().length;
        BitSet has = bitfield.toBitSet();
        if (has.length() > chunks) {
            drop(peer, "BITFIELD names chunk " + (has.length() - 1) + " of " + chunks);
            return;
        }
        Optional<Phase.Transferring> transfer = transferring();
        if (transfer.isPresent()) {
            out.add(new DownloadAction.PeerHolds(peer.nodeId, has));
            apply(transfer.get().swarm().peerReady(peer.address, has));
        } else {
            peer.heldBeforeSwarm = Optional.of(has);
        }
    }

    private void onHave(PeerSession peer, int index) {
        // Checked before any bit is set: a BitSet grows to hold any index, 256 MiB for the largest int.
        int chunks = manifest().map(Manifest::chunkCount).orElse(MAX_CHUNKS);
        if (!peer.sentBitfield || index < 0 || index >= chunks) {
            drop(peer, "HAVE " + index + " before BITFIELD or out of range");
            return;
        }
        Optional<Phase.Transferring> transfer = transferring();
        if (transfer.isPresent()) {
            out.add(new DownloadAction.PeerHoldsChunk(peer.nodeId, index));
            apply(transfer.get().swarm().peerHave(peer.address, index));
        } else {
            peer.heldBeforeSwarm.orElseThrow().set(index);
        }
    }

    private void onReject(PeerSession peer, Message.Reject reject) {
        // Legitimate: the peer may not hold the chunk any more, or be too busy. Only an unrequested one is not.
        Optional<Swarm<InetSocketAddress>> swarm = transferring().map(Phase.Transferring::swarm);
        if (swarm.isPresent() && swarm.get().isAwaiting(peer.address, reject.index())) {
            log.debug("{} rejected chunk {}: {}", peer.address, reject.index(), reject.reason());
            apply(swarm.get().chunkRejected(peer.address, reject.index()));
        } else if (swarm.isEmpty() || !swarm.get().takeCancelled(peer.address, reject.index())) {
            drop(peer, "unexpected " + reject);
        }
    }

    /** Takes ownership of {@code body}: freed here, or handed to the disk, which frees it. */
    private void onChunk(Link link, int index, ChunkBody body) {
        Optional<PeerSession> session = peers.on(link);
        Optional<Phase.Transferring> transfer = transferring();
        if (!running() || session.isEmpty() || session.get().state != LinkState.READY) {
            body.free();
            return;
        }
        PeerSession peer = session.get();
        if (closedIfBanned(peer)) {
            body.free();
            progressChanged = true;
            return;
        }
        // A late answer to a cancelled request is expected; if the chunk is still missing it is used.
        // A second copy of one request is not: each request is answered once.
        boolean expected = transfer.isPresent() && transfer.get().swarm().chunkArrived(peer.address, index);
        if (!expected) {
            body.free();
            drop(peer, "unrequested chunk " + index);
            progressChanged = true;
            return;
        }
        peer.bytesReceived += body.length();
        peer.stalledSince = Optional.empty();
        if (transfer.get().swarm().isVerified(index)) {
            body.free();
            return;
        }
        throttle(peer, link, body.length());
        out.add(store(new StoreJob.HashAndWrite(index, body, peer.address)));
    }

    /** Over a rate limit, stop reading from this link until the debt is paid: TCP pushes back on the sender. */
    private void throttle(PeerSession peer, Link link, int bytes) {
        if (options.rateLimits().isEmpty()) {
            return;
        }
        long wait = TokenBucket.reserveAll(options.rateLimits(), bytes, nanos());
        if (wait > 0) {
            if (!peer.readingPaused) {
                peer.readingPaused = true;
                out.add(new DownloadAction.PauseReading(link));
            }
            // The buckets' wait covers all debt so far, so the newest timer is the one that counts.
            out.add(new DownloadAction.Schedule(new Timer.ReadAgain(link, ++peer.pauses), Duration.ofNanos(wait)));
        }
    }

    private long nanos() {
        return TokenBucket.nanosOf(clock.instant());
    }

    private void onClosed(Link link) {
        Optional<PeerSession> session = peers.on(link);
        if (session.isEmpty()) {
            return; // a connection already replaced, or reported twice
        }
        PeerSession peer = session.get();
        if (peer.state != LinkState.DROPPED && peer.state != LinkState.SELF) {
            peer.state = LinkState.CLOSED;
        }
        peer.link = Optional.empty();
        if (!running()) {
            return;
        }
        peers.connectCandidates(); // the freed connection goes to the next peer in line
        Optional<Phase.Transferring> transfer = transferring();
        if (transfer.isPresent()) {
            apply(transfer.get().swarm().peerLost(peer.address));
        } else {
            goneBeforeManifest(peer.address);
        }
        progressChanged = true;
    }

    private void onIdle(Link link) {
        Optional<PeerSession> session = peers.on(link);
        if (!running() || session.isEmpty()) {
            return;
        }
        PeerSession peer = session.get();
        boolean owesUs = peer.state == LinkState.CONNECTING
                || (phase instanceof Phase.FetchingManifest f && f.askedOf().equals(Optional.of(peer.address)))
                || transferring().map(t -> t.swarm().hasInFlight(peer.address)).orElse(false);
        if (owesUs) {
            // Slow is not malicious: close (chunks go back to the pool) rather than drop for good.
            log.info("closing {}: silent for {} while it owes us data", peer.address, options.idleTimeout());
            close(peer);
        }
    }

    /**
     * Drops from this download a peer whose requests have been timing out ({@code timedOut}: what the swarm's check
     * just did) for {@link #STALL_LIMIT}, or three request timeouts if longer, with no chunk from it since: one that
     * says it holds chunks and keeps its link busy but never sends them held request slots for ever, each reassigned
     * only to be asked again of it, and a few of them held all the download's. Slow is not malicious: not banned; a
     * late chunk counts, and no time counts while our own rate limit holds its link back.
     */
    private void dropStallers(Phase.Transferring transfer, List<SwarmAction<InetSocketAddress>> timedOut) {
        Duration threeTimeouts = options.requestTimeoutFor(transfer.manifest().chunkSize()).multipliedBy(3);
        Duration limit = threeTimeouts.compareTo(STALL_LIMIT) > 0 ? threeTimeouts : STALL_LIMIT;
        Instant now = clock.instant();
        Set<InetSocketAddress> stalled = new HashSet<>();
        for (SwarmAction<InetSocketAddress> action : timedOut) {
            if (action instanceof SwarmAction.Cancel<InetSocketAddress> cancel) {
                stalled.add(cancel.peer());
            }
        }
        for (InetSocketAddress address : stalled) {
            Optional<PeerSession> session = peers.get(address).filter(p -> p.state == LinkState.READY);
            if (session.isEmpty() || !running()) {
                continue;
            }
            PeerSession p = session.get();
            if (p.readingPaused) {
                p.stalledSince = Optional.empty(); // held back by us: its requests time out for our rate limit
            } else if (p.stalledSince.isEmpty()) {
                p.stalledSince = Optional.of(now);
            } else if (Duration.between(p.stalledSince.get(), now).compareTo(limit) >= 0) {
                log.info("dropping {} from this download: its requests have timed out for {} with no chunk",
                        p.address, Duration.between(p.stalledSince.get(), now));
                dropFromDownload(p);
            }
        }
    }

    private void onTimer(Timer timer) {
        if (!running()) {
            return;
        }
        if (timer instanceof Timer.CheckRequests) {
            transferring().ifPresent(t -> {
                List<SwarmAction<InetSocketAddress>> timedOut = t.swarm().checkTimeouts();
                apply(timedOut);
                dropStallers(t, timedOut);
                if (running()) {
                    out.add(new DownloadAction.Schedule(timer, timeoutCheckPeriod()));
                }
            });
        } else if (timer instanceof Timer.ManifestDue due) {
            peers.on(due.link()).filter(p -> phase instanceof Phase.FetchingManifest f
                    && f.askedOf().equals(Optional.of(p.address))).ifPresent(p -> {
                // Slow is not malicious: closed, not banned; the next ready peer is asked.
                log.info("closing {}: no manifest within {}", p.address, manifestDeadline());
                p.manifestUnanswered = true;
                close(p);
                phase = new Phase.FetchingManifest(Optional.empty());
                requestManifest();
            });
        } else if (timer instanceof Timer.Redial redial) {
            // Unless it was dialled or dropped meanwhile.
            peers.get(redial.peer()).filter(p -> p.state == LinkState.CLOSED).ifPresent(p -> {
                p.state = LinkState.CANDIDATE;
                peers.connectCandidates();
            });
        } else if (timer instanceof Timer.ReadAgain again) {
            peers.on(again.link()).filter(p -> p.readingPaused && p.pauses == again.pause()).ifPresent(p -> {
                p.readingPaused = false;
                out.add(new DownloadAction.ResumeReading(again.link()));
            });
        }
    }

    /**
     * The peer sent bad data or broke the protocol: dropped from this download and banned from the node (every
     * download), by node id and IP. Each caller is one of the offences README's "Bans" lists.
     */
    private void drop(PeerSession peer, String reason) {
        log.warn("dropping and banning {}: {}", peer.address, reason);
        ban(peer);
        dropFromDownload(peer);
    }

    private void ban(PeerSession peer) {
        // Through a relay the far end proved only its own id: the peer's address may be an honest node's.
        boolean news = peer.relayed
                ? options.bans().banNode(peer.nodeId)
                : options.bans().ban(peer.nodeId, peer.address);
        if (news) {
            log.info("banned {} (node {}) until restart", peer.address, peer.nodeId.isKnown() ? peer.nodeId : "unknown");
        }
    }

    /** Drops the peer from this download only: it is closed and never dialled again by it. */
    private void dropFromDownload(PeerSession peer) {
        Optional<Phase.Transferring> transfer = transferring();
        if (transfer.isPresent()) {
            dropNow(peer); // first, so the swarm's Drop that follows finds it dropped already
            apply(transfer.get().swarm().peerMisbehaved(peer.address, "dropped"));
        } else {
            dropNow(peer);
            goneBeforeManifest(peer.address);
        }
    }

    /** Before the manifest, a peer gone may be the one asked for it: ask another, or fail if none is left. */
    private void goneBeforeManifest(InetSocketAddress address) {
        if (phase instanceof Phase.FetchingManifest f && f.askedOf().equals(Optional.of(address))) {
            phase = new Phase.FetchingManifest(Optional.empty());
        }
        requestManifest();
        checkStarved();
    }

    private void dropNow(PeerSession peer) {
        peer.state = LinkState.DROPPED;
        close(peer);
    }

    private void send(PeerSession peer, Message message) {
        peer.link.ifPresent(link -> out.add(new DownloadAction.Send(link, message)));
    }

    private void close(PeerSession peer) {
        peer.link.ifPresent(link -> out.add(new DownloadAction.CloseLink(link)));
    }

    private void apply(List<SwarmAction<InetSocketAddress>> actions) {
        for (SwarmAction<InetSocketAddress> action : actions) {
            if (action instanceof SwarmAction.Request<InetSocketAddress> request) {
                peers.get(request.peer()).ifPresent(p -> send(p, new Message.Request(request.index())));
            } else if (action instanceof SwarmAction.Cancel<InetSocketAddress> cancel) {
                peers.get(cancel.peer()).ifPresent(p -> send(p, new Message.Cancel(cancel.index())));
            } else if (action instanceof SwarmAction.Drop<InetSocketAddress> dropAction) {
                peers.get(dropAction.peer()).filter(p -> p.state != LinkState.DROPPED).ifPresent(p -> {
                    // The swarm's own drops are for chunks failing their hash: bad data, banned.
                    log.warn("dropping and banning {}: {}", dropAction.peer(), dropAction.reason());
                    ban(p);
                    dropNow(p);
                });
            } else if (action instanceof SwarmAction.Complete) {
                finish();
            } else if (action instanceof SwarmAction.Fail<InetSocketAddress> failAction) {
                fail(failAction.reason());
            }
        }
    }

    // ---- the store's results ----

    private void onStoreResult(StoreResult result) {
        if (result instanceof StoreResult.Resumed resumed) {
            store = resumed.store().isPresent() ? StoreLife.OPEN : StoreLife.NONE;
            if (running()) {
                onResumed(resumed.store());
            }
        } else if (result instanceof StoreResult.Opened opened) {
            store = StoreLife.OPEN;
            if (running()) {
                beginOrRecheck(opened.store()); // a partial file found without its sidecar is checked first
            }
        } else if (result instanceof StoreResult.Rechecked rechecked) {
            if (running()) {
                log.info("checked {} after an unclean stop: {} chunks confirmed, {} discarded",
                        rechecked.store().manifest(), rechecked.counts().confirmed(), rechecked.counts().discarded());
                begin(rechecked.store());
            }
        } else if (result instanceof StoreResult.Stored stored) {
            onStored(stored.index(), stored.from());
        } else if (result instanceof StoreResult.Mismatched mismatched) {
            onMismatched(mismatched.index(), mismatched.from());
        } else if (result instanceof StoreResult.Moved moved) {
            store = StoreLife.GONE;
            log.info("finished {} -> {}", manifest().map(Object::toString).orElse(id.toHex()), moved.path());
            end(DownloadState.COMPLETE);
            out.add(new DownloadAction.Finished(moved.path(), moved.placement()));
        } else if (result instanceof StoreResult.Closed) {
            store = StoreLife.CLOSED;
        } else if (result instanceof StoreResult.Discarded) {
            store = StoreLife.GONE;
        } else if (result instanceof StoreResult.JobFailed failed) {
            onJobFailed(failed.job(), failed.reason());
        }
        moveWhenIdle();
        releaseWhenIdle();
        progressChanged = true;
    }

    private void onStored(int index, InetSocketAddress from) {
        Optional<Phase.Transferring> transfer = transferring();
        if (transfer.isEmpty()) {
            return; // a copy that was still being hashed when the download ended or completed
        }
        Swarm<InetSocketAddress> swarm = transfer.get().swarm();
        if (!swarm.isVerified(index)) {
            out.add(new DownloadAction.ChunkVerified(index));
        }
        apply(swarm.chunkVerified(from, index));
        tellFirstChunk(swarm);
    }

    private void onMismatched(int index, InetSocketAddress from) {
        Optional<Phase.Transferring> transfer = transferring();
        if (transfer.isPresent()) {
            peers.get(from).ifPresent(p -> p.badChunks++);
            apply(transfer.get().swarm().chunkFailed(from, index));
        }
    }

    private void onJobFailed(StoreJob job, String reason) {
        if (job instanceof StoreJob.Resume) {
            log.warn("cannot resume {}: {}", id, reason);
            if (running()) {
                fetchManifest(); // as if there were nothing to resume
            }
        } else if (job instanceof StoreJob.Close) {
            log.warn("download of {}: {}", id, reason);
            store = StoreLife.CLOSED; // whatever it left: the next run checks what it finds
        } else if (job instanceof StoreJob.Discard) {
            log.warn("download of {}: {}", id, reason);
            store = StoreLife.GONE;
        } else if (job instanceof StoreJob.Finish) {
            store = StoreLife.GONE; // the disk is done with the store, whatever it left
            log.debug("download of {} failed: {}", id, reason); // its owner tells the user, once
            end(DownloadState.FAILED);
            out.add(new DownloadAction.Failed(reason, FailureCause.DISK));
        } else {
            // Open (nothing opened), Recheck or HashAndWrite (the store stays open until released).
            fail(reason, FailureCause.DISK);
        }
    }

    private void tellFirstChunk(Swarm<InetSocketAddress> swarm) {
        if (!firstChunkTold && swarm.verifiedCount() > 0) {
            firstChunkTold = true;
            out.add(new DownloadAction.FirstChunk());
        }
    }

    // ---- the end ----

    private void finish() {
        Phase.Transferring t = transferring().orElseThrow();
        phase = new Phase.Finishing(t.manifest(), t.swarm(), false);
        closeLinks();
        moveWhenIdle();
    }

    /** Moves the finished content into place once no store job is left: never while a late copy is being written. */
    private void moveWhenIdle() {
        if (phase instanceof Phase.Finishing f && !f.moving() && storeJobs == 0) {
            phase = new Phase.Finishing(f.manifest(), f.swarm(), true);
            out.add(store(new StoreJob.Finish()));
        }
    }

    /** No peer can help any more: a later search may find others. */
    private void fail(String reason) {
        fail(reason, FailureCause.PEERS);
    }

    private void fail(String reason, FailureCause cause) {
        if (!running()) {
            return;
        }
        // Its owner tells the user (and decides whether to try again): a line per attempt would flood the log.
        log.debug("download of {} failed: {}", id, reason);
        end(DownloadState.FAILED);
        out.add(new DownloadAction.Failed(reason, cause));
    }

    /** Cancel: the partial download stays for a later resume. Too late once the content is being moved into place. */
    private void stop() {
        if (running()) {
            end(DownloadState.CANCELLED);
        }
    }

    private void abandon() {
        discard = true;
        if (phase instanceof Phase.Over) {
            releaseWhenIdle(); // a store closed already is deleted now
        } else {
            stop();
        }
    }

    private void end(DownloadState end) {
        boolean linksOpen = running(); // finishing closed them already
        phase = new Phase.Over(end, tally());
        if (linksOpen) {
            closeLinks();
        }
        releaseWhenIdle();
        progressChanged = true;
    }

    /**
     * Once over and no store job is left (a store being opened or checked is let go of when that ends; a chunk being
     * written first lands): closes the store for a later resume, or deletes it if abandoned; then it is stopped.
     */
    private void releaseWhenIdle() {
        if (!(phase instanceof Phase.Over) || storeJobs > 0) {
            return;
        }
        if (store == StoreLife.OPEN || (store == StoreLife.CLOSED && discard)) {
            out.add(store(discard ? new StoreJob.Discard() : new StoreJob.Close()));
        } else if (!stoppedTold) {
            stoppedTold = true;
            out.add(new DownloadAction.Stopped());
        }
    }

    private void closeLinks() {
        for (PeerSession p : peers.all()) {
            close(p);
        }
    }

    private DownloadAction store(StoreJob job) {
        storeJobs++;
        return new DownloadAction.Store(job);
    }

    // ---- where it stands ----

    /** Still working towards the content: neither finishing nor over. */
    private boolean running() {
        return !(phase instanceof Phase.Finishing) && !(phase instanceof Phase.Over);
    }

    private Optional<Phase.Transferring> transferring() {
        return phase instanceof Phase.Transferring t ? Optional.of(t) : Optional.empty();
    }

    private Optional<Manifest> manifest() {
        return tally().manifest();
    }

    private Phase.Tally tally() {
        if (phase instanceof Phase.Opening o) {
            return new Phase.Tally(o.manifest(), 0, 0);
        } else if (phase instanceof Phase.Rechecking r) {
            return Phase.Tally.of(r.store().manifest(), r.store().verified());
        } else if (phase instanceof Phase.Transferring t) {
            return Phase.Tally.of(t.manifest(), t.swarm());
        } else if (phase instanceof Phase.Finishing f) {
            return Phase.Tally.of(f.manifest(), f.swarm());
        } else if (phase instanceof Phase.Over o) {
            return o.tally();
        }
        return Phase.Tally.NONE;
    }

    private DownloadState state() {
        if (phase instanceof Phase.Over o) {
            return o.end();
        } else if (phase instanceof Phase.Finishing) {
            return DownloadState.COMPLETE;
        } else if (phase instanceof Phase.FetchingManifest
                || (phase instanceof Phase.Opening o && o.manifest().isEmpty())) {
            return DownloadState.FETCHING_MANIFEST;
        }
        return DownloadState.DOWNLOADING;
    }
}
