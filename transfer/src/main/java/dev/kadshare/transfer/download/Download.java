package dev.kadshare.transfer.download;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.netty.FrameBuffers;
import dev.kadshare.transfer.netty.PeerLink;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.LastStop;
import dev.kadshare.transfer.store.Recheck;
import dev.kadshare.transfer.swarm.Swarm;
import dev.kadshare.transfer.swarm.SwarmAction;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one content id from many peers at once: the Netty adapter around {@link Swarm} and
 * {@link ChunkStore}. All state lives on one event loop, so it needs no locks; the public methods hop
 * onto that loop. Runs on an NIO or an epoll event loop group ({@link Transport}). It leads the phases (manifest,
 * store, chunks) and keeps its peers in a {@link PeerBook}; slow store work goes through a {@link StoreWorker}.
 */
public final class Download {
    private static final Logger log = LoggerFactory.getLogger(Download.class);
    /** No manifest has more chunks: it comes in one frame, 32 bytes of hash per chunk. */
    private static final int MAX_CHUNKS = FrameCodec.MAX_FRAME_LENGTH / Sha256.LENGTH;

    /** The second phase, once a manifest matching the id is known. */
    private record Transfer(Manifest manifest, ChunkStore store, Swarm<InetSocketAddress> swarm) {
    }

    private final ContentId id;
    private final Path outDir;
    private final EventLoop loop;
    private final DownloadOptions options;
    private final CompletableFuture<Path> completion = new CompletableFuture<>();
    /** Done once this download has let go of its files: closed, discarded or moved into place. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Chunk frames of all this download's connections, reused; as many as it ever had in flight at once. */
    private final FrameBuffers frameBuffers;
    private final PeerLink.Listener events = new Events();
    private final PeerBook peers;
    private final StoreWorker worker;
    private final PublishedProgress progress;
    private Optional<InetSocketAddress> manifestSource = Optional.empty();
    private Optional<Transfer> transfer = Optional.empty();
    /** A resumed store whose chunks are being hashed again after an unclean stop; the transfer begins after. */
    private Optional<ChunkStore> checking = Optional.empty();
    /** The manifest whose store the hashing worker is opening (creating files, forcing the sidecar). */
    private Optional<Manifest> opening = Optional.empty();
    private volatile Optional<ServedContent> served = Optional.empty();
    private Optional<ScheduledFuture<?>> timeoutTimer = Optional.empty();
    /** Set on the loop before the cleanup that precedes completing, so cleanup's own events are ignored. */
    private boolean over;
    private boolean discardPartial;
    /** Set by finish() just before the final publish, so that snapshot already says COMPLETE. */
    private boolean finishing;

    private Download(ContentId id, Path outDir, EventLoopGroup group, DownloadOptions options) {
        this.id = id;
        this.options = options;
        this.outDir = outDir;
        this.loop = group.next();
        this.frameBuffers = FrameBuffers.recycling();
        this.progress = new PublishedProgress(loop, new DownloadProgress(id, Optional.empty(), 0, 0, 0, List.of()),
                this::snapshot);
        this.worker = new StoreWorker(loop, options.hashing());
        Dialer dialer = new Dialer(group, loop, frameBuffers, options.idleTimeout(), events);
        this.peers = new PeerBook(loop, options.maxPeers(), dialer, this::isOver,
                address -> transfer.ifPresent(t -> apply(t.swarm().peerConnecting(address))),
                address -> transfer.ifPresent(t -> apply(t.swarm().peerForgotten(address))));
    }

    /**
     * Connects to the peers, fetches the manifest from one and checks it against id before using it,
     * then downloads every chunk from all the peers at once, verifies each, and renames the finished file
     * to outDir/manifest.name().
     */
    public static Download start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group) {
        return start(id, peers, outDir, group, DownloadOptions.defaults());
    }

    /** As {@link #start(ContentId, Collection, Path, EventLoopGroup)}, with explicit options. */
    public static Download start(ContentId id, Collection<InetSocketAddress> peers, Path outDir, EventLoopGroup group,
            DownloadOptions options) {
        Download download = new Download(id, outDir, group, options);
        List<InetSocketAddress> initial = List.copyOf(peers);
        download.completion.whenComplete((path, error) -> {
            if (error instanceof CancellationException) {
                // cancel(), or someone cancelled the future itself: stop the work behind it.
                download.loop.execute(() -> download.shutdown());
            }
        });
        download.loop.execute(() -> {
            download.resumeIfPartial();
            download.addPeersOnLoop(initial);
            download.checkStarved();
        });
        return download;
    }

    /** Adds peers found later. Peers already dropped from this download are never dialled again. */
    public void addPeers(Collection<InetSocketAddress> more) {
        List<InetSocketAddress> copy = List.copyOf(more);
        loop.execute(() -> addPeersOnLoop(copy));
    }

    /**
     * Completes with the final path, or exceptionally with an IOException saying why the download failed
     * (CancellationException after {@link #cancel()}). Completes on the download's event loop: dependent
     * stages must not block; use the async variants for slow work.
     */
    public CompletableFuture<Path> completion() {
        return completion;
    }

    /**
     * Completes once this download no longer touches its files: its store closed (marked clean for a resume),
     * discarded, or moved into place. {@link #completion} can come first (a cancel completes it at once), so
     * whoever starts the same content in the same directory again waits for this.
     */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    public DownloadProgress progress() {
        return progress.latest();
    }

    /**
     * The chunks this download holds so far, for a {@link TransferServer} to serve to other downloaders
     * (see {@link ContentSource#serve}); empty before the manifest is known and once the download is over.
     */
    public Optional<ServedContent> served() {
        return served;
    }

    /**
     * Stops the download and closes its connections, keeping the partial file and its sidecar: a later
     * {@code start} of the same id into the same directory resumes (what pause and shutdown want).
     */
    public void cancel() {
        // The hook installed in start() does the cleanup on the loop.
        completion.completeExceptionally(new CancellationException("download of " + id + " cancelled"));
    }

    /** Stops the download and deletes its partial file and sidecar: the progress is gone (what remove wants). */
    public void abandon() {
        loop.execute(() -> {
            discardPartial = true;
            if (!finishing) { // too late once the file is being moved into place
                transfer.ifPresent(t -> discard(t.store()));
            }
        });
        cancel();
    }

    // ---- everything below runs on the event loop ----

    /**
     * A sidecar left by an earlier run gives the manifest and progress at once, before any peer answers. After
     * a crash its marks are not proof (a power loss may have lost data they claim): the marked chunks are hashed
     * again on the hashing worker first, and any that fail are fetched again.
     */
    private void resumeIfPartial() {
        try {
            ChunkStore.resume(id, outDir).ifPresent(store -> {
                log.info("resuming {}: {} of {} chunks already verified", store.manifest(), store.verifiedCount(),
                        store.manifest().chunkCount());
                beginOrRecheck(store);
            });
        } catch (IOException e) {
            log.warn("cannot read partial download of {} in {}: {}", id, outDir, e.toString());
        }
        progress.publish();
    }

    private void recheck(ChunkStore store) {
        checking = Optional.of(store);
        worker.recheck(store, result -> rechecked(store, result), e -> {
            checking = Optional.empty();
            release(store);
            fail("cannot check partial file " + store.partFile() + ": " + e);
        });
    }

    private void rechecked(ChunkStore store, Recheck result) {
        checking = Optional.empty();
        if (isOver()) {
            release(store);
            return;
        }
        log.info("checked {} after an unclean stop: {} chunks confirmed, {} discarded", store.manifest(),
                result.confirmed(), result.discarded());
        begin(store);
        progress.publish();
    }

    /**
     * Done with the store: deleted if {@link #abandon} asked so, else closed for a later resume; either way the
     * download has let go of its files.
     */
    private void release(ChunkStore store) {
        if (discardPartial) {
            discard(store);
        } else {
            closeQuietly(store);
        }
        stopped.complete(null);
    }

    private static void closeQuietly(ChunkStore store) {
        try {
            store.close();
        } catch (IOException e) {
            log.warn("cannot close {}: {}", store.partFile(), e.toString());
        }
    }

    private void begin(ChunkStore store) {
        Manifest manifest = store.manifest();
        // The adapter is the edge: real time and real randomness go into the swarm from here.
        Transfer t = new Transfer(manifest, store, new Swarm<>(manifest.chunkCount(), options.maxInFlightPerPeer(),
                options.maxInFlightChunks(manifest.chunkSize()), store.verified(), InstantSource.system(),
                new SplittableRandom(), options.requestTimeout()));
        transfer = Optional.of(t);
        frameBuffers.expectChunkFrames(FrameCodec.CHUNK_HEADER_BYTES + manifest.chunkSize());
        served = Optional.of(ServedContent.partial(manifest, store.partFile(), store.verified()));
        long period = Math.max(1, options.requestTimeout().toMillis() / 2);
        timeoutTimer = Optional.of(loop.scheduleAtFixedRate(() -> {
            if (!isOver() && transfer.orElse(null) == t) {
                apply(t.swarm().checkTimeouts());
            }
        }, period, period, TimeUnit.MILLISECONDS));
        log.info("downloading {} from {} peers", manifest, peers.size());
        for (PeerRecord p : peers.all()) {
            if (p.state == LinkState.CONNECTING || (p.state == LinkState.READY && p.has.isEmpty())) {
                apply(t.swarm().peerConnecting(p.address));
            } else if (p.state == LinkState.READY) {
                served.get().peerHoldings().holdsAll(p.nodeId, p.has.orElseThrow());
                joinSwarm(t, p);
            }
        }
        if (manifest.chunkCount() == 0 || store.isComplete()) {
            finish();
        }
    }

    private void addPeersOnLoop(Collection<InetSocketAddress> addresses) {
        if (isOver()) {
            return;
        }
        if (peers.add(addresses)) {
            progress.publish();
        }
    }

    /** How many peers this download knows of, connected, waiting or gone; read on the loop. */
    int knownPeers() throws InterruptedException, ExecutionException {
        return loop.submit(peers::size).get();
    }

    private void onConnected(InetSocketAddress address) {
        send(address, new Message.Hello(FrameCodec.PROTOCOL_VERSION, options.nodeId(), id, options.listenPort()));
    }

    private void onMessage(InetSocketAddress address, Message message) {
        PeerRecord peer = peers.get(address);
        if (isOver() || peer == null || peer.state == LinkState.DROPPED || peer.state == LinkState.SELF) {
            return;
        }
        if (message instanceof Message.Hello hello) {
            onHello(peer, hello);
        } else if (message instanceof Message.Goodbye goodbye) {
            // Not misbehaviour: the peer lacks the content or speaks another version; it may be asked later.
            log.info("{} said goodbye: {}", address, goodbye.reason());
            peer.channel.ifPresent(Channel::close);
            peers.redialLater(peer);
        } else if (peer.state != LinkState.READY) {
            drop(peer, "sent " + message + " before HELLO");
        } else if (message instanceof Message.ManifestData data) {
            onManifest(peer, data);
        } else if (message instanceof Message.Bitfield bitfield) {
            onBitfield(peer, bitfield.toBitSet());
        } else if (message instanceof Message.Have have) {
            onHave(peer, have.index());
        } else if (message instanceof Message.Reject reject) {
            onReject(peer, reject);
        } else if (message instanceof Message.Choke) {
            peer.choked = true;
            transfer.ifPresent(t -> apply(t.swarm().peerChoked(peer.address)));
        } else if (message instanceof Message.Peers more) {
            addPeersOnLoop(more.addresses());
        } else if (message instanceof Message.Unchoke) {
            peer.choked = false;
            transfer.ifPresent(t -> apply(t.swarm().peerUnchoked(peer.address)));
        } else {
            // REJECT included: every peer is expected to hold every chunk until BITFIELD exists.
            drop(peer, "unexpected " + message);
        }
        progress.publish();
    }

    private void onHello(PeerRecord peer, Message.Hello hello) {
        if (peer.state == LinkState.READY) {
            drop(peer, "second HELLO");
        } else if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION || !hello.contentId().equals(id)) {
            drop(peer, "HELLO for " + hello.contentId() + " version " + hello.protocolVersion());
        } else if (hello.nodeId().isKnown() && hello.nodeId().equals(options.nodeId())) {
            // Our own server, reached through some address of ours: not misbehaviour, just useless.
            log.info("{} is this node itself; closing", peer.address);
            peer.nodeId = hello.nodeId();
            peer.state = LinkState.SELF;
            peer.channel.ifPresent(Channel::close);
        } else {
            peer.nodeId = hello.nodeId();
            peer.state = LinkState.READY;
            peer.everReady = true;
            peer.goodbyes = 0;
            peer.choked = false;
            peer.has = Optional.empty(); // the swarm hears of this peer once its BITFIELD arrives
            if (transfer.isEmpty()) {
                requestManifest();
            }
        }
    }

    private void onBitfield(PeerRecord peer, BitSet has) {
        if (peer.has.isPresent()) {
            drop(peer, "second BITFIELD");
            return;
        }
        peer.has = Optional.of(has);
        served.ifPresent(s -> s.peerHoldings().holdsAll(peer.nodeId, has));
        transfer.ifPresent(t -> joinSwarm(t, peer));
    }

    /** A ready peer with a bitfield enters the swarm, choked first if it already said so. */
    private void joinSwarm(Transfer t, PeerRecord peer) {
        if (peer.choked) {
            apply(t.swarm().peerChoked(peer.address));
        }
        apply(t.swarm().peerReady(peer.address, peer.has.orElseThrow()));
    }

    private void onHave(PeerRecord peer, int index) {
        // Checked before the bit is set: a BitSet grows to hold any index, 256 MiB for the largest int.
        int chunks = transfer.map(t -> t.manifest().chunkCount()).orElse(MAX_CHUNKS);
        if (peer.has.isEmpty() || index < 0 || index >= chunks) {
            drop(peer, "HAVE " + index + " before BITFIELD or out of range");
            return;
        }
        peer.has.get().set(index);
        served.ifPresent(s -> s.peerHoldings().holds(peer.nodeId, index));
        transfer.ifPresent(t -> apply(t.swarm().peerHave(peer.address, index)));
    }

    private void onReject(PeerRecord peer, Message.Reject reject) {
        // Legitimate: the peer may not hold the chunk any more, or be too busy. Only an unrequested one is not.
        if (transfer.isPresent() && transfer.get().swarm().isAwaiting(peer.address, reject.index())) {
            log.debug("{} rejected chunk {}: {}", peer.address, reject.index(), reject.reason());
            apply(transfer.get().swarm().chunkRejected(peer.address, reject.index()));
        } else if (transfer.isEmpty() || !transfer.get().swarm().takeCancelled(peer.address, reject.index())) {
            drop(peer, "unexpected " + reject);
        }
    }

    private void requestManifest() {
        if (manifestKnown() || manifestSource.isPresent()) {
            return;
        }
        peers.firstReady().ifPresent(p -> {
            manifestSource = Optional.of(p.address);
            send(p.address, new Message.ManifestRequest());
        });
    }

    private void onManifest(PeerRecord peer, Message.ManifestData data) {
        if (transfer.isPresent() || !manifestSource.equals(Optional.of(peer.address))) {
            drop(peer, "unrequested MANIFEST");
            return;
        }
        manifestSource = Optional.empty();
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
        opening = Optional.of(manifest);
        progress.publish();
        worker.open(manifest, outDir, this::opened, e -> {
            opening = Optional.empty();
            fail("cannot create partial file in " + outDir + ": " + e);
        });
    }

    private void opened(ChunkStore store) {
        opening = Optional.empty();
        if (isOver()) {
            release(store);
            return;
        }
        beginOrRecheck(store); // a partial file found without its sidecar is checked first
        progress.publish();
    }

    /** Begins with {@code store}, or first hashes its marked chunks again if they are not proof. */
    private void beginOrRecheck(ChunkStore store) {
        if (store.lastStop() == LastStop.CLEAN || store.verifiedCount() == 0) {
            begin(store);
        } else {
            recheck(store);
        }
    }

    /** Takes ownership of {@code body}: hashed on the hashing executor, written and released back on the loop. */
    private void onChunk(InetSocketAddress address, int index, ByteBuf body) {
        PeerRecord peer = peers.get(address);
        if (isOver() || peer == null || peer.state != LinkState.READY) {
            body.release();
            return;
        }
        // A late answer to a cancelled request is expected; if the chunk is still missing it is used.
        boolean expected = transfer.isPresent() && (transfer.get().swarm().isAwaiting(address, index)
                || transfer.get().swarm().takeCancelled(address, index));
        if (expected && transfer.get().store().isVerified(index)) {
            peer.bytesReceived += body.readableBytes();
            body.release();
            return;
        }
        if (!expected) {
            body.release();
            drop(peer, "unrequested chunk " + index);
            progress.publish();
            return;
        }
        Transfer t = transfer.get();
        peer.bytesReceived += body.readableBytes();
        throttle(peer, body.readableBytes());
        worker.hashAndWrite(t.manifest(), t.store(), index, body.nioBuffer(),
                (good, error) -> onHashed(t, peer, index, body, good, error));
    }

    /** Over a rate limit, stop reading from this connection until the debt is paid: TCP pushes back on the sender. */
    private void throttle(PeerRecord peer, int bytes) {
        long wait = TokenBucket.reserveAll(options.rateLimits(), bytes);
        if (wait > 0 && peer.channel.isPresent()) {
            Channel ch = peer.channel.get();
            ch.config().setAutoRead(false);
            // The bucket's wait covers all debt so far, so the newest timer is the one that counts.
            peer.resumeReading.ifPresent(f -> f.cancel(false));
            peer.resumeReading = Optional.of(loop.schedule(() -> ch.config().setAutoRead(true), wait,
                    TimeUnit.NANOSECONDS));
        }
    }

    private void onHashed(Transfer t, PeerRecord peer, int index, ByteBuf body, boolean good,
            Optional<IOException> writeError) {
        try {
            if (isOver() || transfer.orElse(null) != t) {
                return;
            }
            if (!good) {
                peer.badChunks++;
                apply(t.swarm().chunkFailed(peer.address, index));
                return;
            }
            if (writeError.isPresent()) {
                fail("cannot write chunk " + index + ": " + writeError.get());
                return;
            }
            try {
                t.store().markStored(index);
            } catch (IOException e) {
                fail("cannot record chunk " + index + ": " + e);
                return;
            }
            served.ifPresent(s -> s.add(index));
            apply(t.swarm().chunkVerified(peer.address, index));
        } finally {
            body.release();
            progress.publish();
        }
    }

    private void onClosed(InetSocketAddress address) {
        PeerRecord peer = peers.get(address);
        if (peer == null) {
            return;
        }
        if (peer.state != LinkState.DROPPED && peer.state != LinkState.SELF) {
            peer.state = LinkState.CLOSED;
        }
        peer.channel = Optional.empty();
        if (isOver()) {
            return;
        }
        peers.connectCandidates(); // the freed connection goes to the next peer in line
        if (transfer.isPresent()) {
            apply(transfer.get().swarm().peerLost(address));
        } else {
            goneBeforeManifest(address);
        }
        progress.publish();
    }

    private void onIdle(InetSocketAddress address) {
        PeerRecord peer = peers.get(address);
        if (isOver() || peer == null) {
            return;
        }
        boolean owesUs = peer.state == LinkState.CONNECTING
                || manifestSource.equals(Optional.of(address))
                || transfer.map(t -> t.swarm().hasInFlight(address)).orElse(false);
        if (owesUs) {
            // Slow is not malicious: close (chunks go back to the pool) rather than drop for good.
            log.info("closing {}: silent for {} while it owes us data", address,
                    options.idleTimeout());
            peer.channel.ifPresent(Channel::close);
        }
    }

    /** Before the manifest is known the swarm does not exist yet, so this phase checks for starvation itself. */
    private void checkStarved() {
        if (!manifestKnown() && !peers.anyUsable()) {
            fail(peers.isEmpty() ? "no peers" : "no peer provided a manifest matching the content id");
        }
    }

    private void drop(PeerRecord peer, String reason) {
        log.warn("dropping {}: {}", peer.address, reason);
        if (transfer.isPresent()) {
            // The swarm answers with a Drop action, which lands in dropNow.
            apply(transfer.get().swarm().peerMisbehaved(peer.address, reason));
        } else {
            dropNow(peer);
            goneBeforeManifest(peer.address);
        }
    }

    /** Before the manifest, a peer gone may be the one asked for it: ask another, or fail if none is left. */
    private void goneBeforeManifest(InetSocketAddress address) {
        if (manifestSource.equals(Optional.of(address))) {
            manifestSource = Optional.empty();
        }
        requestManifest();
        checkStarved();
    }

    private void dropNow(PeerRecord peer) {
        peer.state = LinkState.DROPPED;
        peer.channel.ifPresent(Channel::close);
    }

    private void apply(List<SwarmAction<InetSocketAddress>> actions) {
        Set<InetSocketAddress> requested = new HashSet<>();
        for (SwarmAction<InetSocketAddress> action : actions) {
            if (action instanceof SwarmAction.Request<InetSocketAddress> request) {
                requested.add(request.peer());
                // Written now, flushed once per batch below: one syscall for a burst of requests.
                peers.channel(request.peer()).ifPresent(ch -> ch.write(new Message.Request(request.index())));
            } else if (action instanceof SwarmAction.Cancel<InetSocketAddress> cancel) {
                send(cancel.peer(), new Message.Cancel(cancel.index()));
            } else if (action instanceof SwarmAction.Drop<InetSocketAddress> dropAction) {
                log.warn("dropping {}: {}", dropAction.peer(), dropAction.reason());
                Optional.ofNullable(peers.get(dropAction.peer())).ifPresent(this::dropNow);
            } else if (action instanceof SwarmAction.Complete) {
                finish();
            } else if (action instanceof SwarmAction.Fail<InetSocketAddress> failAction) {
                fail(failAction.reason());
            }
        }
        for (InetSocketAddress peer : requested) {
            peers.channel(peer).ifPresent(Channel::flush);
        }
    }

    private void send(InetSocketAddress address, Message message) {
        peers.channel(address).ifPresent(ch -> ch.writeAndFlush(message));
    }

    private void finish() {
        if (isOver()) {
            return;
        }
        Transfer t = transfer.orElseThrow();
        Optional<ServedContent> serving = served;
        over = true;
        finishing = true; // from here on only the worker below touches the store
        closeConnections();
        worker.finish(t.store(), serving, path -> {
            progress.publishNow(); // first, so progress() is final by the time the future completes
            log.info("finished {} -> {}", t.manifest(), path);
            stopped.complete(null);
            completion.complete(path);
        }, e -> {
            finishing = false;
            log.warn("download of {} failed: cannot move {} into place: {}", id, t.store().partFile(), e.toString(), e);
            progress.publishNow();
            stopped.complete(null); // the worker is done with the store, whatever it left
            completion.completeExceptionally(new IOException("download of " + id
                    + " failed: cannot move " + t.store().partFile() + " into place: " + e, e));
        });
    }

    private void fail(String reason) {
        if (isOver()) {
            return;
        }
        over = true;
        log.warn("download of {} failed: {}", id, reason);
        shutdown(); // first, so progress() is final by the time the future completes
        completion.completeExceptionally(new IOException("download of " + id + " failed: " + reason));
    }

    private boolean isOver() {
        return over || completion.isDone();
    }

    /** Closes everything; the partial file stays for a later resume unless {@link #abandon} asked otherwise. */
    private void shutdown() {
        closeConnections();
        if (finishing) {
            return; // the finishing worker owns the store (and a cancel this late loses to completion)
        }
        // A store still being checked or opened is released by rechecked() or opened(), once the worker is done.
        if (transfer.isPresent()) {
            release(transfer.get().store());
        } else if (!manifestKnown()) {
            stopped.complete(null); // there never was a store
        }
        progress.publishNow();
    }

    private void discard(ChunkStore store) {
        try {
            store.discard();
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", store.partFile(), e.toString());
        }
    }

    private void closeConnections() {
        timeoutTimer.ifPresent(f -> f.cancel(false));
        served = Optional.empty();
        peers.closeAll();
        frameBuffers.close(); // chunks still being hashed free theirs when released
    }

    private DownloadProgress snapshot() {
        List<PeerProgress> peerProgress = peers.progress();
        return transfer.map(Transfer::store).or(() -> checking)
                .map(store -> new DownloadProgress(id, Optional.of(store.manifest()), store.verifiedCount(),
                        store.manifest().chunkCount(), store.verifiedBytes(), peerProgress, state()))
                .orElseGet(() -> new DownloadProgress(id, opening, 0, opening.map(Manifest::chunkCount).orElse(0), 0,
                        peerProgress, state()));
    }

    private DownloadState state() {
        if (completion.isDone()) {
            // isCancelled() is also true for completeExceptionally(CancellationException), which cancel() uses.
            return completion.isCancelled() ? DownloadState.CANCELLED
                    : completion.isCompletedExceptionally() ? DownloadState.FAILED : DownloadState.COMPLETE;
        }
        if (over) {
            return finishing ? DownloadState.COMPLETE : DownloadState.FAILED;
        }
        return manifestKnown() ? DownloadState.DOWNLOADING : DownloadState.FETCHING_MANIFEST;
    }

    /** A checked manifest is in hand: its store is being opened, rechecked, or in use. */
    private boolean manifestKnown() {
        return transfer.isPresent() || checking.isPresent() || opening.isPresent();
    }

    /** Routes link events into this download; PeerLink calls it on the loop. */
    private final class Events implements PeerLink.Listener {
        @Override
        public void onConnected(InetSocketAddress peer) {
            Download.this.onConnected(peer);
        }

        @Override
        public void onMessage(InetSocketAddress peer, Message message) {
            Download.this.onMessage(peer, message);
        }

        @Override
        public void onChunk(InetSocketAddress peer, int index, ByteBuf body) {
            Download.this.onChunk(peer, index, body);
        }

        @Override
        public void onClosed(InetSocketAddress peer) {
            Download.this.onClosed(peer);
        }

        @Override
        public void onIdle(InetSocketAddress peer) {
            Download.this.onIdle(peer);
        }
    }
}
