package dev.kadshare.transfer.netty;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.net.MonotonicClock;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.disk.ChunkStoreDisk;
import dev.kadshare.transfer.download.Disk;
import dev.kadshare.transfer.download.Download;
import dev.kadshare.transfer.download.DownloadAction;
import dev.kadshare.transfer.download.FailureCause;
import dev.kadshare.transfer.download.DownloadEvent;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.download.DownloadProgress;
import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.download.StoreJob;
import dev.kadshare.transfer.download.Timer;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.store.Placement;
import dev.kadshare.transfer.store.StoreFailure;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Download} on one Netty event loop: the handle a node holds. Channel events become the download's
 * events, and its actions become dials, writes (each batch flushed once), {@code setAutoRead}, timers and store
 * jobs; the store work runs on {@link DownloadOptions#hashing} through a {@link ChunkStoreDisk}, whose results come
 * back to the loop. The socket reads straight into the chunk buffers ({@link FrameReads}, {@link FrameBuffers}),
 * and a chunk's buffer goes to the hash and the disk without a copy. Runs on an NIO or an epoll event loop group
 * ({@link Transport}); the public methods may be called from any thread.
 */
public final class NettyDownload {
    /** Told of a download's milestones, on its event loop, so must not block. */
    public interface Milestones {
        Milestones NONE = new Milestones() {
        };

        /**
         * The manifest is known and the store checked: {@code served} (also {@link #served()} from now on) holds
         * what can be served to other downloaders, and each chunk verified after.
         */
        default void manifestKnown(ServedContent served) {
        }

        /** The download holds its first verified chunk (at once, if it resumed with some). */
        default void firstChunk() {
        }

        /** {@code peer}, reached through a relay, can be dialled directly now: it will be from now on. */
        default void directPathFound(InetSocketAddress peer) {
        }

        /** A connection to {@code peer} could not be made (refused, timed out): a NAT may be in the way. */
        default void unreachable(InetSocketAddress peer) {
        }

        /**
         * A connection to {@code peer} is still not made after a few seconds (it goes on being tried): a NAT may be in
         * the way, and a way found meanwhile ({@link #punch}, {@link #relay}) replaces it.
         */
        default void stalled(InetSocketAddress peer) {
        }
    }

    private final ContentId id;
    private final EventLoop loop;
    private final Download download;
    private final Disk disk;
    private final Dialer dialer;
    private final Milestones milestones;
    /**
     * Chunk frames of all this download's connections, reused; as many as it ever had in flight at once, then kept for
     * the next download (a node downloads again and again).
     */
    private final FrameBuffers frameBuffers;
    private final Map<Link, Channel> channels = new HashMap<>();
    /** Peers dialled from our listening port (hole punching), and from where; written on the loop, read anywhere. */
    private final Map<InetSocketAddress, InetSocketAddress> punched = new ConcurrentHashMap<>();
    /** Peers reached through a relay, and which; written on the loop, read anywhere. */
    private final Map<InetSocketAddress, InetSocketAddress> relayed = new ConcurrentHashMap<>();
    /** How long after a relayed circuit ends its peer is dialled through the relay again. */
    private static final java.time.Duration RELAY_REDIAL = java.time.Duration.ofSeconds(1);
    /** Links whose relayed circuit opened; loop-only. */
    private final java.util.Set<Link> relayedLinks = new java.util.HashSet<>();
    /** Peers whose relayed connection is being closed, to be dialled directly once it is; loop-only. */
    private final java.util.Set<InetSocketAddress> leavingRelay = new java.util.HashSet<>();
    private final CompletableFuture<Path> completion = new CompletableFuture<>();
    /** Set before {@link #completion} completes with a path. */
    private volatile Optional<Placement> placement = Optional.empty();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final PublishedProgress progress;
    /** What is offered to other downloaders: empty before the manifest is known and once the download is over. */
    private volatile Optional<ServedContent> served = Optional.empty();
    /**
     * The partial content once known, kept to the end: its hub serves it from where it is moved. Loop-only, as is
     * everything the download tells it.
     */
    private Optional<ServedContent> partial = Optional.empty();
    /** Where the partial content is until it moves: where it stays if the move fails. */
    private Optional<Path> partRoot = Optional.empty();
    /** Where the content's bytes are: the partial file or directory once known, then where it moved. */
    private volatile Optional<Path> contentRoot = Optional.empty();
    /** Readers waiting for chunks to be verified ({@link #chunkVerified}); loop-only. */
    private final ChunkWaiters waiters = new ChunkWaiters();
    /** The download sees one event at a time. */
    private final Inbox<DownloadEvent> inbox = new Inbox<>(this::handle);

    private NettyDownload(ContentId id, Path outDir, EventLoopGroup group, DownloadOptions options,
            Milestones milestones, LinkSecurity links, Map<InetSocketAddress, InetSocketAddress> punched,
            Map<InetSocketAddress, InetSocketAddress> relayed) {
        this.id = id;
        this.loop = group.next();
        this.frameBuffers = FrameBuffers.recyclingThrough(ChunkBufferPool.shared(), loop);
        this.milestones = milestones;
        // The adapter is the edge: real time and real randomness go into the download from here.
        this.download = new Download(id, options, MonotonicClock.INSTANCE, new SplittableRandom());
        // Where the content went, for the chunks its hub handed out before: read at the new name (ServedSpan).
        this.disk = new ChunkStoreDisk(id, outDir, options.hashing(), loop, this::deliver, options.afterMove(),
                root -> partial.ifPresent(p -> p.place().movedTo(root)));
        this.dialer = new Dialer(group, loop, frameBuffers, options.idleTimeout(), new Events(), links, channels::put,
                this.punched, this.relayed, milestones::unreachable, milestones::stalled, relayedLinks::add);
        this.punched.putAll(punched);
        this.relayed.putAll(relayed);
        this.progress = new PublishedProgress(loop, new DownloadProgress(id, Optional.empty(), 0, 0, 0, List.of()),
                download::progress);
    }

    /**
     * Connects to the peers, fetches the manifest from one and checks it against id before using it,
     * then downloads every chunk from all the peers at once, verifies each, and moves the finished content into
     * {@code outDir} under its safe local name, or the first free one after it ({@link #completion()} gives
     * the path).
     */
    public static NettyDownload start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group) {
        return start(id, peers, outDir, group, DownloadOptions.defaults());
    }

    /** As {@link #start(ContentId, Collection, Path, EventLoopGroup)}, with explicit options. */
    public static NettyDownload start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group, DownloadOptions options) {
        return start(id, peers, outDir, group, options, Milestones.NONE);
    }

    /**
     * As {@link #start(ContentId, Collection, Path, EventLoopGroup, DownloadOptions)}, telling {@code milestones};
     * its links are encrypted as a fresh identity nobody knows (a node gives its own, below).
     */
    public static NettyDownload start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group, DownloadOptions options, Milestones milestones) {
        return start(id, peers, outDir, group, options, milestones, LinkSecurity.ephemeral());
    }

    /**
     * As {@link #start(ContentId, Collection, Path, EventLoopGroup, DownloadOptions, Milestones)}: every connection
     * first proves who is at each end with the link handshake as {@code links} says (a node passes its identity,
     * the keys its downloads learned and its drop counts; {@code options.nodeId()} should be that identity's id).
     */
    public static NettyDownload start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group, DownloadOptions options, Milestones milestones, LinkSecurity links) {
        return start(id, peers, outDir, group, options, milestones, links, Map.of());
    }

    /**
     * As {@link #start(ContentId, Collection, Path, EventLoopGroup, DownloadOptions, Milestones, LinkSecurity)},
     * dialling each peer of {@code punched} from the local address it maps to (our listening port, which the peer
     * dials back at the same moment: hole punching) rather than from an ephemeral port.
     */
    public static NettyDownload start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group, DownloadOptions options, Milestones milestones, LinkSecurity links,
            Map<InetSocketAddress, InetSocketAddress> punched) {
        return start(id, peers, outDir, group, options, milestones, links, punched, Map.of());
    }

    /**
     * As {@link #start(ContentId, Collection, Path, EventLoopGroup, DownloadOptions, Milestones, LinkSecurity, Map)},
     * reaching each peer of {@code relayed} through the relay it maps to.
     */
    public static NettyDownload start(ContentId id, Collection<InetSocketAddress> peers, Path outDir,
            EventLoopGroup group, DownloadOptions options, Milestones milestones, LinkSecurity links,
            Map<InetSocketAddress, InetSocketAddress> punched, Map<InetSocketAddress, InetSocketAddress> relayed) {
        NettyDownload d = new NettyDownload(id, outDir, group, options, milestones, links, punched, relayed);
        List<InetSocketAddress> initial = List.copyOf(peers);
        d.completion.whenComplete((path, error) -> {
            if (error instanceof CancellationException) {
                // cancel(), or someone cancelled the future itself: stop the work behind it.
                d.loop.execute(() -> {
                    d.deliver(new DownloadEvent.Cancel());
                    d.letGo();
                });
            }
        });
        d.loop.execute(() -> d.deliver(new DownloadEvent.Start(initial)));
        return d;
    }

    /**
     * From now on dials {@code peer} from {@code from} (our listening port: the peer was introduced and dials us back
     * at the same moment), and dials it so now unless it is connected or dropped ({@link #redialOnNewWay}).
     */
    public void punch(InetSocketAddress peer, InetSocketAddress from) {
        loop.execute(() -> {
            punched.put(peer, from);
            redialOnNewWay(peer);
        });
    }

    /**
     * From now on reaches {@code peer} through {@code relay} (punching it failed), and dials it so now unless it is
     * connected or dropped ({@link #redialOnNewWay}).
     */
    public void relay(InetSocketAddress peer, InetSocketAddress relay) {
        loop.execute(() -> {
            relayed.put(peer, relay);
            redialOnNewWay(peer);
        });
    }

    /**
     * Dials {@code peer} the way just set for it: now, unless it is connected or dropped; a dial of it still being made
     * the old way is given up for this one (it would only time out).
     */
    private void redialOnNewWay(InetSocketAddress peer) {
        deliver(new DownloadEvent.PeersAdded(List.of(peer)));
        List<Map.Entry<Link, Channel>> pending = channels.entrySet().stream()
                .filter(e -> e.getKey().peer().equals(peer) && !e.getValue().isActive()).toList();
        if (pending.isEmpty()) {
            deliver(new DownloadEvent.TimerFired(new Timer.Redial(peer)));
        } else {
            pending.forEach(e -> dialer.replace(e.getKey(), e.getValue()));
        }
    }

    /**
     * Tries a plain connection to {@code peer}, now reached through a relay: if one is made (the peer can be dialled
     * now), the peer is dialled directly from now on, and its relayed connection is closed and dialled again that way.
     */
    public void probeDirect(InetSocketAddress peer) {
        loop.execute(() -> {
            if (!relayed.containsKey(peer)) {
                return;
            }
            dialer.probe(peer).addListener(made -> {
                if (made.isSuccess()) {
                    loop.execute(() -> leaveRelay(peer));
                }
            });
        });
    }

    private void leaveRelay(InetSocketAddress peer) {
        if (relayed.remove(peer) == null) {
            return;
        }
        punched.remove(peer);
        milestones.directPathFound(peer);
        List<Channel> relayedLinks = channels.entrySet().stream().filter(e -> e.getKey().peer().equals(peer))
                .map(Map.Entry::getValue).toList();
        if (relayedLinks.isEmpty()) {
            deliver(new DownloadEvent.TimerFired(new Timer.Redial(peer)));
        } else {
            leavingRelay.add(peer);
            relayedLinks.forEach(Channel::close);
        }
    }

    /** Whether {@code peer} is reached through a relay; safe from any thread. */
    public boolean isRelayed(InetSocketAddress peer) {
        return relayed.containsKey(peer);
    }

    /** Whether {@code peer} is dialled from our listening port (a punched connection); safe from any thread. */
    public boolean isPunched(InetSocketAddress peer) {
        return punched.containsKey(peer);
    }

    /** Adds peers found later. Peers already dropped from this download are never dialled again. */
    public void addPeers(Collection<InetSocketAddress> more) {
        DownloadEvent added = new DownloadEvent.PeersAdded(List.copyOf(more));
        loop.execute(() -> deliver(added));
    }

    /**
     * Completes with the final path, or exceptionally with an IOException saying why the download failed
     * (CancellationException after {@link #cancel()}). Completes on the download's event loop: dependent
     * stages must not block; use the async variants for slow work.
     */
    public CompletableFuture<Path> completion() {
        return completion;
    }

    /** Whether the completed content was written by this download or found whole in place; empty until then. */
    public Optional<Placement> placement() {
        return placement;
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
        // The hook installed in start() tells the download, on the loop.
        completion.completeExceptionally(new CancellationException("download of " + id + " cancelled"));
    }

    /** Stops the download and deletes its partial file and sidecar: the progress is gone (what remove wants). */
    public void abandon() {
        loop.execute(() -> deliver(new DownloadEvent.Abandon()));
        cancel();
    }

    /**
     * Completes once chunk {@code index} is verified and on disk (at once if it is already), on the download's loop;
     * fails if the download ends without it (paused, removed, failed).
     */
    public CompletableFuture<Void> chunkVerified(int index) {
        CompletableFuture<Void> verified = new CompletableFuture<>();
        loop.execute(() -> waiters.add(index, verified));
        return verified;
    }

    /**
     * A reader holding {@code ticket} waits for chunks {@code first..last}: they are asked for before any other
     * (replacing what that ticket waited for), until {@link #releasePriority}.
     */
    public void prioritize(long ticket, int first, int last) {
        loop.execute(() -> deliver(new DownloadEvent.Prioritize(ticket, first, last)));
    }

    /** The reader holding {@code ticket} went away: its chunks are no more urgent than others. */
    public void releasePriority(long ticket) {
        loop.execute(() -> deliver(new DownloadEvent.ReleasePriority(ticket)));
    }

    /**
     * Where the content's bytes are now: the partial file (or directory) once the manifest is known, the final path
     * once it moved; empty before. Files named as a download names them ({@code Naming.LOCAL}).
     */
    public Optional<Path> contentRoot() {
        return contentRoot;
    }

    // ---- everything below runs on the event loop ----

    private void deliver(DownloadEvent event) {
        inbox.deliver(event);
    }

    private void handle(DownloadEvent event) {
        apply(download.handle(event));
    }

    private void apply(List<DownloadAction> actions) {
        List<Channel> written = new ArrayList<>(2);
        for (DownloadAction action : actions) {
            if (action instanceof DownloadAction.Send send) {
                Channel ch = channels.get(send.link());
                if (ch != null) {
                    // Written now, flushed once after the batch: one syscall for a burst of requests.
                    ch.write(send.message(), ch.voidPromise());
                    if (!written.contains(ch)) {
                        written.add(ch);
                    }
                }
            } else if (action instanceof DownloadAction.Store store) {
                if (store.job() instanceof StoreJob.Finish) {
                    // Its hub reads nothing from the files while they move, so no session opens them at the old path.
                    partial.ifPresent(ServedContent::moving);
                }
                disk.submit(store.job());
            } else if (action instanceof DownloadAction.PublishProgress) {
                progress.publish();
            } else if (action instanceof DownloadAction.ChunkVerified verified) {
                partial.ifPresent(s -> s.add(verified.index()));
                waiters.verified(verified.index());
            } else if (action instanceof DownloadAction.PeerHoldsChunk holds) {
                partial.ifPresent(s -> s.peerHoldsChunk(holds.node(), holds.index()));
            } else if (action instanceof DownloadAction.PeerHolds holds) {
                partial.ifPresent(s -> s.peerHolds(holds.node(), holds.chunks()));
            } else {
                applyRare(action);
            }
        }
        for (Channel ch : written) {
            ch.flush();
        }
    }

    /** The actions that come once per connection, timer or milestone, not once per chunk. */
    private void applyRare(DownloadAction action) {
        if (action instanceof DownloadAction.Dial dial) {
            dialer.dial(dial.link());
        } else if (action instanceof DownloadAction.CloseLink close) {
            Optional.ofNullable(channels.get(close.link())).ifPresent(Channel::close);
        } else if (action instanceof DownloadAction.PauseReading pause) {
            Optional.ofNullable(channels.get(pause.link())).ifPresent(ch -> ch.config().setAutoRead(false));
        } else if (action instanceof DownloadAction.ResumeReading resume) {
            Optional.ofNullable(channels.get(resume.link())).ifPresent(ch -> ch.config().setAutoRead(true));
        } else if (action instanceof DownloadAction.Schedule schedule) {
            // Not cancelled when the download ends: it ignores a late timer, and none is re-armed after.
            Timer timer = schedule.timer();
            loop.schedule(() -> deliver(new DownloadEvent.TimerFired(timer)), schedule.after().toNanos(),
                    TimeUnit.NANOSECONDS);
        } else if (action instanceof DownloadAction.ManifestKnown known) {
            frameBuffers.expectChunkFrames(FrameCodec.CHUNK_HEADER_BYTES + known.manifest().chunkSize());
            ServedContent content = ServedContent.partial(known.manifest(), known.partRoot(), known.verified(), loop);
            partial = Optional.of(content);
            partRoot = Optional.of(known.partRoot());
            contentRoot = partRoot;
            waiters.known(known.verified());
            served = partial;
            milestones.manifestKnown(content);
        } else if (action instanceof DownloadAction.FirstChunk) {
            milestones.firstChunk();
        } else if (action instanceof DownloadAction.Finished finished) {
            partial.ifPresent(s -> s.movedTo(finished.path()));
            contentRoot = Optional.of(finished.path());
            waiters.complete();
            progress.publishNow(); // first, so progress() is final by the time the future completes
            placement = Optional.of(finished.placement());
            completion.complete(finished.path());
            letGo(); // after: whoever serves the content has it complete at its path before the partial goes
        } else if (action instanceof DownloadAction.Failed failed) {
            // A failed move leaves the files where they were (nothing else moves them).
            partRoot.ifPresent(root -> partial.ifPresent(s -> s.movedTo(root)));
            letGo();
            progress.publishNow();
            // A StoreFailure tells the node that the disk refused, so it fails the transfer rather than search again.
            completion.completeExceptionally(failed.cause() == FailureCause.DISK ? new StoreFailure(failed.reason())
                    : new IOException("download of " + id + " failed: " + failed.reason()));
        } else if (action instanceof DownloadAction.Stopped) {
            progress.publishNow(); // final by the time the future completes
            stopped.complete(null);
        }
    }

    /** The download is over: nothing more is served from its partial content, and its kept buffers go. */
    private void letGo() {
        served = Optional.empty();
        waiters.fail(new IOException("download of " + id + " stopped"));
        frameBuffers.close(); // chunks still being hashed free theirs when released
    }

    /** Routes link events into the download; PeerLink calls it on the loop. */
    private final class Events implements PeerLink.Listener {
        @Override
        public void onConnected(Link link, PeerId node) {
            deliver(new DownloadEvent.Connected(link, node, relayedLinks.contains(link)));
        }

        @Override
        public boolean awaitsChunks(Link link) {
            return download.awaitsChunksOn(link);
        }

        @Override
        public void onMessage(Link link, Message message) {
            deliver(new DownloadEvent.Received(link, message));
        }

        @Override
        public void onChunk(Link link, ReceivedChunk chunk) {
            deliver(new DownloadEvent.ChunkReceived(link, chunk.index(), chunk));
        }

        @Override
        public void onClosed(Link link) {
            channels.remove(link);
            deliver(new DownloadEvent.LinkClosed(link));
            if (leavingRelay.remove(link.peer())) {
                // Closed to be dialled again on the direct path just found.
                relayedLinks.remove(link);
                deliver(new DownloadEvent.TimerFired(new Timer.Redial(link.peer())));
            } else if (relayedLinks.remove(link) && relayed.containsKey(link.peer())) {
                // A circuit the relay ended (its byte cap, say): a new one goes on where it stopped, after a breath.
                loop.schedule(() -> deliver(new DownloadEvent.TimerFired(new Timer.Redial(link.peer()))),
                        RELAY_REDIAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onIdle(Link link) {
            deliver(new DownloadEvent.LinkIdle(link));
        }
    }
}
