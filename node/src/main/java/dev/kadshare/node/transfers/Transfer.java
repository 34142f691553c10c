package dev.kadshare.node.transfers;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.LookupResult;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.reach.Mapping;
import dev.kadshare.net.NewestKept;
import dev.kadshare.node.link.HostPort;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.download.DownloadProgress;
import dev.kadshare.transfer.download.DownloadState;
import dev.kadshare.transfer.download.PeerProgress;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.swarm.ChunkOrder;
import dev.kadshare.transfer.store.OutputDirectory;
import dev.kadshare.transfer.store.Placement;
import dev.kadshare.transfer.store.StoreFailure;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download as the node runs it: find peers through the DHT and the link's hints, hand them to a
 * {@link NettyDownload}, keep feeding it peers found later, and report completion so the node can seed. When it
 * cannot go on (nobody found, peers gone) it looks again after a growing wait ({@link Retry}), saying why in its
 * status; it fails when the disk refuses, when every peer it knows sent bad data, or after 10 minutes without
 * progress. It can be paused and resumed; every change of state is reported so the node can persist it.
 */
public final class Transfer {
    private static final Logger log = LoggerFactory.getLogger(Transfer.class);
    /** Peers join a swarm fastest at its start, so the first refreshes come quickly, then back off. */
    private static final Duration FIRST_PEER_REFRESH = Duration.ofSeconds(1);
    private static final Duration MAX_PEER_REFRESH = Duration.ofSeconds(30);
    /** Rates are measured over this much of the recent past. */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(5);
    /** Peers from {@link #addPeerHint} kept at most. */
    static final int MAX_EXTRA_HINTS = 64;

    /**
     * What the node does when a transfer moves: persist it, serve what it holds and announce itself once it
     * holds chunks, and on completion serve the file from the library.
     */
    public interface Listener {
        void stateChanged(Transfer transfer);

        /**
         * The download knows its manifest: it can serve what it holds (nothing yet, then each chunk it verifies),
         * so peers told of it by peer exchange find it serving rather than being sent away.
         */
        void serving(Transfer transfer, NettyDownload download);

        /** The download verified its first chunks: it is worth announcing. */
        void holding(Transfer transfer);

        /** The download stopped (paused, failed, closed or complete): it no longer serves partial chunks. */
        void released(Transfer transfer);

        void completed(Manifest manifest, Path file);
    }

    /** How long a new download waits for the last one to let go of the partial file. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** A peer we cannot dial is introduced at most this often (a dial that times out takes 10 s). */
    private static final Duration INTRODUCTION_INTERVAL = Duration.ofSeconds(10);
    private static final int MAX_PEERS_ASKED = 256;
    /** Why a transfer waiting for the node's join does not look for peers now: its status says so. */
    static final String AWAITING_JOIN = "waiting for the node to join the network";
    private final MagnetLink link;
    private final Path outDir;
    private final Dht dht;
    private final EventLoopGroup group;
    private final DownloadOptions options;
    private final Listener listener;
    private final InstantSource clock;
    /** Our own address as the node says, or as a download found it out (a HELLO with our node id). */
    private final Predicate<InetSocketAddress> isSelf;
    private final LinkSecurity links;
    /** The node's join of the network (completes either way): a lookup that found no one before it looks again then. */
    private final CompletableFuture<?> joined;
    /** Addresses that answered with our own node id: some other address of ours, never dialled again. */
    private final Set<InetSocketAddress> ownAddresses = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private CompletableFuture<Path> done = new CompletableFuture<>();
    private TransferState state = TransferState.SEARCHING;
    private String error;
    private NettyDownload download;
    /**
     * The attempt that completed the content, from its end until the transfer is COMPLETE: a reader that comes between
     * its end and the library's taking the content (a moment) reads through it, instead of finding nothing to read.
     */
    private NettyDownload completedBy;
    /** The order of the chunks no reader waits for, from the next attempt on. */
    private ChunkOrder order = ChunkOrder.RAREST_FIRST;
    private DownloadProgress lastProgress;
    private Path finalPath;
    /** Whether the download wrote {@link #finalPath} or found it there (the user's, never deleted as its data). */
    private Placement placement = Placement.WRITTEN;
    private ScheduledFuture<?> pending;
    /** A lookup found no one before the node joined the network: the next one waits for the join. */
    private boolean awaitingJoin;
    private final Retry retry = new Retry();
    /** The most recent DHT lookup for this content, for status and the demo's summary. */
    private volatile LookupStatus lastLookup;
    /** Peers dropped for bad data (a chunk failing its hash, a bad manifest, garbage): never asked again. */
    private final Set<InetSocketAddress> banned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Peers a rendezvous introduced us to: dialled from our listening port, as they dial us back (hole punching). */
    private final Set<InetSocketAddress> introduced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Peers reached through a relay (punching them failed, or cannot work), and which relay. */
    private final Map<InetSocketAddress, InetSocketAddress> relayed = new java.util.concurrent.ConcurrentHashMap<>();
    /** When an introduction to each peer was last asked for: at most one per {@link #INTRODUCTION_INTERVAL}. */
    private final Map<InetSocketAddress, Instant> asked = new java.util.concurrent.ConcurrentHashMap<>();
    /** The nodes that last introduced us to each peer: the peer waits at them as relays once introduced. */
    private final Map<InetSocketAddress, List<InetSocketAddress>> introducersOf =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Peers met outside the DHT and the link (LAN neighbours fetching this too), tried with every search; bounded. */
    private final NewestKept<InetSocketAddress> extraHints = new NewestKept<>(MAX_EXTRA_HINTS);
    /** Chunks that failed verification, from the banned peers. */
    private int badChunks;
    /** Bumped on pause and resume so that callbacks of an older attempt do nothing. */
    private int attempt;
    /** Completes once the last download let go of the partial file: the next one starts only then. */
    private CompletableFuture<Void> previousStopped = CompletableFuture.completedFuture(null);
    /** Chunk bytes received by the downloads that ended; the running one's are added to it. */
    private long receivedBefore;
    private final RateWindow received = new RateWindow(RATE_WINDOW);
    private final RateWindow uploaded = new RateWindow(RATE_WINDOW);

    public Transfer(MagnetLink link, Path outDir, TransferContext context) {
        this.link = link;
        this.outDir = outDir.toAbsolutePath().normalize();
        this.dht = context.dht();
        this.group = context.group();
        this.options = context.options();
        this.listener = context.listener();
        this.clock = context.clock();
        this.isSelf = context.isSelf().or(ownAddresses::contains);
        this.links = context.links();
        this.joined = context.joined();
    }

    /**
     * A transfer that finished before a restart: shown in status, nothing left to do. With its {@code manifest} (the
     * node's share of it, or the sidecar's), its status counts every chunk and byte of it.
     */
    public static Transfer completed(MagnetLink link, Path outDir, Path file, Placement placement,
            Optional<Manifest> manifest, TransferContext context) {
        Transfer t = new Transfer(link, outDir, context);
        t.state = TransferState.COMPLETE;
        t.finalPath = file;
        t.placement = placement;
        // Every chunk of it was verified before the restart: say so, rather than "0 of 300 MiB" beside COMPLETE.
        t.lastProgress = manifest.map(m -> new DownloadProgress(link.contentId(), manifest, m.chunkCount(),
                m.chunkCount(), m.length(), List.of(), DownloadState.COMPLETE)).orElse(null);
        t.done.complete(file);
        return t;
    }

    /** A transfer that failed before a restart: shows why, and waits for {@link #resume}. */
    public static Transfer failed(MagnetLink link, Path outDir, String error, TransferContext context) {
        Transfer t = new Transfer(link, outDir, context);
        t.state = TransferState.FAILED;
        t.error = error;
        t.done.completeExceptionally(new IllegalStateException(error));
        return t;
    }

    /** A transfer the user paused before a restart: waits for {@link #resume}. */
    public static Transfer paused(MagnetLink link, Path outDir, TransferContext context) {
        Transfer t = new Transfer(link, outDir, context);
        t.state = TransferState.PAUSED;
        return t;
    }

    public MagnetLink link() {
        return link;
    }

    public Path outDir() {
        return outDir;
    }

    public synchronized TransferState state() {
        return state;
    }

    /** Completes when the file is complete and verified, or exceptionally when the transfer fails. */
    public synchronized CompletableFuture<Path> done() {
        return done;
    }

    public synchronized void start() {
        retry.started(clock.instant());
        try {
            // Before any search: a directory it cannot write in fails now, not after the search budget.
            OutputDirectory.prepare(outDir);
        } catch (StoreFailure e) {
            fail(e.getMessage());
            return;
        }
        setState(TransferState.SEARCHING);
        int current = attempt;
        search(current);
    }

    private NodeId key() {
        return NodeId.of(link.contentId().bytes());
    }

    private String id() {
        return link.contentId().toHex();
    }

    private void search(int searchFor) {
        synchronized (this) {
            if (searchFor != attempt || state != TransferState.SEARCHING) {
                return;
            }
            awaitingJoin = false;
            retry.attempting();
        }
        dht.lookupPeers(key()).whenComplete((found, failure) -> lookedUp(searchFor, found, failure));
    }

    private synchronized void lookedUp(int searchFor, LookupResult found, Throwable failure) {
        if (searchFor != attempt || state != TransferState.SEARCHING) {
            return;
        }
        Set<InetSocketAddress> peers = new LinkedHashSet<>(link.peerHints());
        peers.addAll(extraHints.elements());
        if (found != null) {
            hintKeys(found);
            peers.addAll(found.peers());
            lastLookup = new LookupStatus(found.hops(), found.rpcs(), found.peers().size());
        }
        peers.removeIf(isSelf); // the DHT returns our own announcement too
        Set<InetSocketAddress> usable = new LinkedHashSet<>(peers);
        usable.removeAll(banned);
        if (!usable.isEmpty()) {
            startDownload(usable);
        } else if (!peers.isEmpty()) {
            fail(everyPeerSentBadData());
        } else if (!joined.isDone()) {
            // Asked before the node joined the network (a download resumed at start, a get right after it): no one
            // to ask yet, which is no setback. Looked for again as soon as the join is over, not a retry's wait later.
            log.debug("download of {} is {}", id(), AWAITING_JOIN);
            awaitingJoin = true;
            joined.whenComplete((size, joinFailure) -> group.execute(() -> search(searchFor)));
        } else if (failure != null) {
            setback(new Setback.LookupFailed(failure));
        } else {
            setback(new Setback.NoPeersFound());
        }
    }

    /**
     * A peer met outside the DHT, such as a LAN neighbour that says it fetches this content too: handed to the running
     * download at once, and tried with every search from now on (the newest {@value #MAX_EXTRA_HINTS} such peers).
     */
    public synchronized void addPeerHint(InetSocketAddress peer) {
        if (isSelf.test(peer) || banned.contains(peer)) {
            return;
        }
        // The newest win: hints from a LAN host naming port after port must not keep out a neighbour heard later.
        if (!extraHints.add(peer)) {
            return; // heard again: now the newest, last to make room
        }
        if (state == TransferState.DOWNLOADING && download != null) {
            download.addPeers(Set.of(peer));
        }
    }

    /** Waits and looks again, or gives up; warns once per cause, not once per attempt. */
    private void setback(Setback cause) {
        Retry.Decision decision = retry.setback(cause, clock.instant());
        if (decision instanceof Retry.Decision.GiveUp giveUp) {
            fail(giveUp.error());
            return;
        }
        Retry.Decision.Wait wait = (Retry.Decision.Wait) decision;
        if (wait.newCause()) {
            log.warn("download of {} waits: {}; next lookup in {} s", id(), cause.text(), wait.delay().toSeconds());
            cause.trace().ifPresent(t -> log.debug("download of {}: {}", id(), cause.text(), t));
        } else {
            log.debug("download of {} waits: {}; next lookup in {} s", id(), cause.text(), wait.delay().toSeconds());
        }
        if (state != TransferState.SEARCHING) {
            setState(TransferState.SEARCHING);
        }
        int current = attempt;
        pending = group.schedule(() -> search(current), wait.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startDownload(Set<InetSocketAddress> peers) {
        if (!previousStopped.isDone()) {
            // A pause and a quick resume: the last download may still be closing the partial file and marking
            // it clean, and the new one must not read the sidecar before that.
            int current = attempt;
            // Bounded: a store that never lets go (a hung disk) must not keep the transfer from ever going on.
            previousStopped = previousStopped.copy().completeOnTimeout(null, STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            previousStopped.whenComplete((v, e) -> group.execute(() -> startWhenStopped(current, peers)));
            return;
        }
        if (retry.reason(clock.instant()).isEmpty()) {
            log.info("downloading {} from {} peer(s)", id(), peers.size());
        } else {
            log.debug("downloading {} again, from {} peer(s)", id(), peers.size());
        }
        int current = attempt;
        NodeMilestones milestones = new NodeMilestones(current);
        Map<InetSocketAddress, InetSocketAddress> punched = new HashMap<>();
        peers.stream().filter(introduced::contains).forEach(peer -> punched.put(peer, punchedFrom()));
        Map<InetSocketAddress, InetSocketAddress> viaRelay = new HashMap<>();
        peers.stream().filter(relayed::containsKey).forEach(peer -> viaRelay.put(peer, relayed.get(peer)));
        NettyDownload started = NettyDownload.start(link.contentId(), peers, outDir, group,
                options.toBuilder().chunkOrder(order).build(), milestones, links, punched, viaRelay);
        milestones.watched = started;
        download = started;
        previousStopped = started.stopped();
        received.clear(); // the rate of this attempt: a search or a pause before it weighs nothing
        received.record(clock.instant(), receivedBefore);
        setState(TransferState.DOWNLOADING);
        pending = group.schedule(() -> refreshPeers(current, started, FIRST_PEER_REFRESH),
                FIRST_PEER_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        started.completion().whenComplete((path, failure) -> finished(current, started, path, failure));
    }

    private synchronized void startWhenStopped(int startFor, Set<InetSocketAddress> peers) {
        if (startFor == attempt && state == TransferState.SEARCHING) {
            startDownload(peers);
        }
    }

    /**
     * Passes a download's milestones on to the node: once it knows its manifest the node serves it, and once it
     * holds a verified chunk the node announces us, so a downloader helps the swarm from its first chunk on.
     */
    private final class NodeMilestones implements NettyDownload.Milestones {
        private final int attemptOf;
        /** Set under the transfer's lock right after the start, before any milestone can be looked at. */
        private NettyDownload watched;

        NodeMilestones(int attemptOf) {
            this.attemptOf = attemptOf;
        }

        @Override
        public void manifestKnown(ServedContent served) {
            current().ifPresent(d -> listener.serving(Transfer.this, d));
        }

        @Override
        public void firstChunk() {
            current().ifPresent(d -> listener.holding(Transfer.this));
        }

        @Override
        public void directPathFound(InetSocketAddress peer) {
            log.info("download of {}: {} answers directly now; leaving the relay", id(), peer);
            relayed.remove(peer);
            introduced.remove(peer);
        }

        @Override
        public void unreachable(InetSocketAddress peer) {
            // Even from a download that just ended for it: the next one dials the peer punched.
            askIntroduction(peer);
        }

        @Override
        public void stalled(InetSocketAddress peer) {
            List<InetSocketAddress> introducers = introducersOf.get(peer);
            if (introducers != null && introduced.contains(peer) && !relayed.containsKey(peer)) {
                // The punch is not through: the peer reserved at its introducers when introduced, so relay at once.
                current().ifPresent(d -> relayThrough(d, peer, introducers, "punching is not through"));
            } else {
                askIntroduction(peer);
            }
        }

        /** The download, unless a pause, a resume or a later download took its place. */
        private Optional<NettyDownload> current() {
            synchronized (Transfer.this) {
                return attemptOf == attempt && download == watched && watched != null
                        ? Optional.of(watched) : Optional.empty();
            }
        }
    }

    private void finished(int attemptOf, NettyDownload finishedDownload, Path path, Throwable failure) {
        Manifest manifest;
        synchronized (this) {
            if (attemptOf != attempt) {
                return; // paused or removed meanwhile: that attempt's end is expected
            }
            listener.released(this);
            cancelPending();
            DownloadProgress before = lastProgress;
            endAttempt(finishedDownload);
            if (failure != null) {
                Optional<StoreFailure> disk = StoreFailure.in(failure);
                if (disk.isPresent()) {
                    fail(disk.get().getMessage()); // the disk refused: other peers would not change that
                } else {
                    peersFailed(before, failure);
                }
                return;
            }
            finalPath = path;
            placement = finishedDownload.placement().orElse(Placement.WRITTEN);
            completedBy = finishedDownload; // until the library has the content, readers read through it
            manifest = lastProgress.manifest().orElse(null);
        }
        if (manifest != null) {
            listener.completed(manifest, path);
        }
        CompletableFuture<Path> toComplete;
        synchronized (this) {
            completedBy = null;
            setState(TransferState.COMPLETE);
            toComplete = done;
        }
        log.info("download of {} complete: {}", id(), path);
        toComplete.complete(path);
    }

    /** The download let go: what it received counts as received before the next one. */
    private void endAttempt(NettyDownload ended) {
        lastProgress = ended.progress();
        receivedBefore += receivedBy(lastProgress);
        download = null;
    }

    private static long receivedBy(DownloadProgress progress) {
        return progress.peers().stream().mapToLong(PeerProgress::bytesDownloaded).sum();
    }

    /**
     * The download ran out of usable peers. Those that sent bad data are banned; if that was every one of them the
     * transfer fails, else it looks for peers again (stale DHT entries, peers gone) after a wait.
     */
    private void peersFailed(DownloadProgress before, Throwable failure) {
        lastProgress.peers().stream().filter(p -> p.nodeId().equals(options.nodeId()))
                .forEach(p -> ownAddresses.add(p.address()));
        List<PeerProgress> peers = lastProgress.peers().stream().filter(p -> !isOwn(p)).toList();
        for (PeerProgress p : peers) {
            if (p.dropped() && banned.add(p.address())) {
                badChunks += p.badChunks();
            }
        }
        if (progressedSince(before)) {
            retry.progressed(clock.instant());
        }
        if (peers.isEmpty()) {
            setback(new Setback.NoPeersFound()); // it found only itself
        } else if (peers.stream().allMatch(PeerProgress::dropped)) {
            fail(everyPeerSentBadData());
        } else if (peers.stream().anyMatch(p -> !p.dropped() && p.nodeId().isKnown())) {
            setback(new Setback.PeersLost(peers.size(), Optional.of(failure)));
        } else {
            setback(new Setback.PeersUnavailable(peers.size(), Optional.of(failure)));
        }
    }

    /** The attempt that just ended learnt the manifest or verified chunks. */
    private boolean progressedSince(DownloadProgress before) {
        int verifiedBefore = before == null ? 0 : before.chunksVerified();
        boolean manifestBefore = before != null && before.manifest().isPresent();
        return lastProgress.chunksVerified() > verifiedBefore
                || (lastProgress.manifest().isPresent() && !manifestBefore);
    }

    private String everyPeerSentBadData() {
        return "every peer sent bad data: " + banned.size() + (banned.size() == 1 ? " peer" : " peers") + " banned"
                + (badChunks > 0 ? " after " + badChunks + (badChunks == 1 ? " chunk" : " chunks")
                        + " failed verification" : " for a bad manifest or broken protocol");
    }

    /**
     * How the download reaches {@code peer}: dialled from our listening port after an introduction (every dial of it
     * from then on is, in this download and the next), or plainly.
     */
    private String connectionOf(InetSocketAddress peer) {
        return relayed.containsKey(peer) ? PeerStatus.RELAYED
                : introduced.contains(peer) ? PeerStatus.PUNCHED : PeerStatus.DIRECT;
    }

    /** This node itself, reached through some address of ours: closed by the download, never a peer. */
    private boolean isOwn(PeerProgress peer) {
        return peer.nodeId().equals(options.nodeId()) || isSelf.test(peer.address());
    }

    /**
     * A peer we cannot dial may be behind a NAT: the nodes storing its announcement are asked to introduce us, and
     * once one did (the peer dials us back now), we dial it from our listening port too. If that failed already, or
     * cannot work (our own NAT maps each destination to another port), we go through one of the introducers as a
     * relay instead (the peer waits there once introduced), another one each time the last one let us down.
     */
    private void askIntroduction(InetSocketAddress peer) {
        Instant now = clock.instant();
        Instant last = asked.get(peer);
        if (options.listenPort() == 0 || state == TransferState.COMPLETE || state == TransferState.FAILED
                || last != null && last.plus(INTRODUCTION_INTERVAL).isAfter(now)) {
            return;
        }
        if (asked.size() >= MAX_PEERS_ASKED) {
            asked.clear(); // a bound, not a memory: the peers of one download are far fewer
            introducersOf.clear();
        }
        asked.put(peer, now);
        dht.requestIntroduction(key(), peer, options.listenPort()).whenComplete((introducers, failure) -> {
            if (failure != null || introducers.isEmpty()) {
                log.debug("download of {}: no introduction to {}", id(), peer);
                return;
            }
            NettyDownload current;
            synchronized (this) {
                current = state == TransferState.DOWNLOADING ? download : null;
            }
            introducersOf.put(peer, List.copyOf(introducers));
            boolean symmetric = dht.status().reachability().mapping() == Mapping.SYMMETRIC;
            if (introduced.contains(peer) || symmetric) {
                relayThrough(current, peer, introducers, symmetric ? "our NAT is symmetric" : "punching failed");
                return;
            }
            log.info("download of {}: introduced to {} by {} node(s); punching", id(), peer, introducers.size());
            introduced.add(peer);
            if (current != null) {
                current.punch(peer, punchedFrom());
            }
        });
    }

    /** Reaches {@code peer} through the introducer after the one it went through last (the first, the first time). */
    private void relayThrough(NettyDownload current, InetSocketAddress peer, List<InetSocketAddress> introducers,
            String why) {
        InetSocketAddress relay = nextRelay(peer, introducers);
        relayed.put(peer, relay);
        log.info("download of {}: introduced to {} by {} node(s); {}: through the relay {}", id(), peer,
                introducers.size(), why, relay);
        if (current != null) {
            current.relay(peer, relay);
        }
    }

    /** The introducer after the relay {@code peer} went through last (the first, the first time). */
    private InetSocketAddress nextRelay(InetSocketAddress peer, List<InetSocketAddress> introducers) {
        int last = Optional.ofNullable(relayed.get(peer)).map(introducers::indexOf).orElse(-1);
        return introducers.get((last + 1) % introducers.size());
    }

    /** Where a punched connection is dialled from: our transfer server's port, which both sides' NATs map. */
    private InetSocketAddress punchedFrom() {
        return new InetSocketAddress(options.listenPort());
    }

    /**
     * The link keys the lookup was told for its peers go to the node's links as hints, so the first dial to each uses
     * IK (one round trip less); the handshake proves a hint or refutes it, and a refuted one costs one XX fallback.
     */
    private void hintKeys(LookupResult found) {
        if (links instanceof LinkSecurity.Encrypted encrypted) {
            found.linkKeys().forEach((peer, key) -> encrypted.hints().hint(peer, key.bytes()));
        }
    }

    /** Peers that joined the swarm after the first lookup are worth having too. */
    private void refreshPeers(int attemptOf, NettyDownload current, Duration delay) {
        dht.lookupPeers(key()).thenAccept(result -> {
            hintKeys(result);
            Set<InetSocketAddress> found = result.peers();
            Set<InetSocketAddress> usable = new LinkedHashSet<>(found);
            usable.removeIf(isSelf);
            usable.removeAll(banned);
            if (!usable.isEmpty()) {
                current.addPeers(usable);
            }
            // The downloader keeps looking for a direct path to the peers it reaches through relays.
            relayed.keySet().forEach(current::probeDirect);
        });
        Duration next = delay.multipliedBy(2).compareTo(MAX_PEER_REFRESH) > 0 ? MAX_PEER_REFRESH : delay.multipliedBy(2);
        synchronized (this) {
            if (attemptOf == attempt && download == current) {
                pending = group.schedule(() -> refreshPeers(attemptOf, current, next), next.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private void fail(String message) {
        error = message;
        setState(TransferState.FAILED);
        log.warn("download of {} failed: {}", id(), message);
        done.completeExceptionally(new IllegalStateException(message));
    }

    private void setState(TransferState next) {
        state = next;
        listener.stateChanged(this);
    }

    static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void stopAttempt(boolean discard) {
        attempt++;
        cancelPending();
        listener.released(this);
        if (download != null) {
            NettyDownload stopping = download;
            endAttempt(stopping);
            if (discard) {
                stopping.abandon();
            } else {
                stopping.cancel(); // keeps the partial file and its record of verified chunks
            }
        }
    }

    /** Stops searching and downloading; {@link #resume} continues. Does nothing once complete. */
    public synchronized void pause() {
        if (state == TransferState.COMPLETE || state == TransferState.PAUSED) {
            return;
        }
        stopAttempt(false);
        setState(TransferState.PAUSED);
    }

    /** Continues a paused or failed transfer. */
    public synchronized void resume() {
        if (state != TransferState.PAUSED && state != TransferState.FAILED) {
            return;
        }
        if (done.isDone()) {
            done = new CompletableFuture<>();
        }
        error = null;
        start();
    }

    /** Stops for node shutdown; the state and the partial file stay, so a restart picks it up. */
    public synchronized void close() {
        stopAttempt(false);
    }

    /**
     * Stops for good; with {@code deleteData} the partial file and its progress record are deleted too. Completes
     * once the last download let go of its files (at once if none was running).
     */
    public synchronized CompletableFuture<Void> remove(boolean deleteData) {
        stopAttempt(deleteData);
        return previousStopped;
    }

    /** Why it failed, once FAILED. */
    public synchronized Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The file once complete, else empty. */
    public synchronized java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(finalPath);
    }

    /** Whether the download wrote its {@link #file} or found it whole in place (then it is the user's). */
    public synchronized Placement placement() {
        return placement;
    }

    /**
     * Takes a sample of the bytes received and of {@code uploadedTotal}, the bytes this node served of the content
     * so far, for the rates: the node does so every second, so they cover the recent past whoever asks.
     */
    public synchronized void sample(long uploadedTotal) {
        sample(clock.instant(), download != null ? download.progress() : lastProgress, uploadedTotal);
    }

    private void sample(Instant now, DownloadProgress p, long uploadedTotal) {
        received.record(now, receivedBefore + (download != null && p != null ? receivedBy(p) : 0));
        uploaded.record(now, uploadedTotal);
    }

    /** Asks for the chunks in {@code order} from the next attempt on (a running one keeps its order). */
    public synchronized void order(ChunkOrder order) {
        this.order = order;
    }

    /** The order its chunks are asked for in (from the next attempt on, if it just changed). */
    public synchronized ChunkOrder order() {
        return order;
    }

    /** The order as the API names it: {@code rarest-first} or {@code sequential}. */
    public static String orderName(ChunkOrder order) {
        return order == ChunkOrder.SEQUENTIAL ? "sequential" : "rarest-first";
    }

    /**
     * The download a reader streams the content through now: the attempt downloading, or the one that completed the
     * content until the transfer is COMPLETE (the library has the content by then); empty otherwise.
     */
    public synchronized Optional<NettyDownload> streamable() {
        return Optional.ofNullable(download != null ? download : completedBy);
    }

    /** How many of its peers' connections are open and past HELLO now (0 unless an attempt is running). */
    public synchronized int connectedPeers() {
        return download == null ? 0
                : (int) download.progress().peers().stream().filter(p -> p.connected() && !isOwn(p)).count();
    }

    /** Where the transfer stands, with {@code uploadedTotal} bytes of it served by this node so far. */
    public synchronized TransferStatus status(long uploadedTotal) {
        Instant now = clock.instant();
        DownloadProgress p = download != null ? download.progress() : lastProgress;
        sample(now, p, uploadedTotal);
        String name = link.name().orElse(id());
        long size = link.size().orElse(-1);
        int verified = 0;
        int total = 0;
        long bytesDown = 0;
        List<PeerStatus> peers = List.of();
        if (p != null) {
            if (p.manifest().isPresent()) {
                name = p.manifest().get().name();
                size = p.manifest().get().length();
            }
            verified = p.chunksVerified();
            total = p.chunksTotal();
            bytesDown = p.bytesDownloaded();
            peers = p.peers().stream().filter(peer -> !isOwn(peer))
                    .map(peer -> new PeerStatus(HostPort.format(peer.address()), peer.bytesDownloaded(), 0,
                            peer.badChunks(), peer.dropped(), PeerStatus.nodeIdOf(peer.nodeId()),
                            connectionOf(peer.address())))
                    .toList();
        }
        // A paused, searching or finished transfer receives nothing now, whatever it received a moment ago.
        long downRate = state == TransferState.DOWNLOADING ? received.bytesPerSecond(now) : 0;
        Long eta = downRate > 0 && size >= bytesDown ? (size - bytesDown + downRate - 1) / downRate : null;
        String reason = state != TransferState.SEARCHING ? null
                : awaitingJoin ? AWAITING_JOIN : retry.reason(now).orElse(null);
        return new TransferStatus(id(), name, size, state, reason, outDir.toString(),
                finalPath == null ? null : finalPath.toString(), error, verified, total, bytesDown, uploadedTotal,
                downRate, uploaded.bytesPerSecond(now), eta, lastLookup, orderName(order), peers);
    }
}
