package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.PeerExchange;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.UploadSlots;
import dev.kadshare.transfer.Uploads;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.FileSpan;
import dev.kadshare.transfer.swarm.InitialSeeding;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of one connection: HELLO, BITFIELD (then HAVE as a partial download gains chunks),
 * then manifest and chunk requests for that content.
 *
 * <p>Requests wait in a bounded queue and go out only while the channel is writable (file regions count
 * towards the outbound buffer, see {@link #SIZE_ESTIMATOR}), so the outbound queue stays within the write
 * buffer high-water mark whatever the number of requesters, and a CANCEL can still take back a queued one.
 */
public final class ServerSession extends SimpleChannelInboundHandler<Message> {
    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);
    /** More queued requests than any sane pipeline needs: beyond this a peer is flooding. */
    static final int MAX_QUEUED_REQUESTS = 256;

    /** Counts file regions by their size, so that writability reflects chunks queued zero-copy. */
    public static final io.netty.channel.MessageSizeEstimator SIZE_ESTIMATOR = () -> msg -> {
        if (msg instanceof io.netty.channel.FileRegion region) {
            return (int) Math.min(Integer.MAX_VALUE, region.count());
        }
        if (msg instanceof io.netty.buffer.ByteBuf buf) {
            return buf.readableBytes();
        }
        return 64;
    };

    private final ContentSource source;
    private final Uploads uploads;
    private final PeerId nodeId;
    private ContentId contentId;
    /** The node id the peer gave in its HELLO. */
    private PeerId peerNodeId = PeerId.UNKNOWN;
    /** Set while waiting out a rate limit: the next chunk goes when the timer fires. */
    private boolean throttled;
    /** Not served for now: another connection holds the content's upload slot. */
    private boolean choked;
    private Optional<UploadSlots.Member> slot = Optional.empty();
    private Optional<PeerExchange.Member> exchange = Optional.empty();
    private Optional<ServedContent> content = Optional.empty();
    /** The content's layout at the root it was resolved for; resolved again if the root moved. */
    private Optional<RootedLayout> layout = Optional.empty();
    private Optional<AutoCloseable> haveSubscription = Optional.empty();
    private final Deque<Integer> queued = new ArrayDeque<>();
    /** Set when this node is the content's initial seeder: what the peer is told is the seeding's choice. */
    private Optional<InitialSeeding<IntConsumer>> seeding = Optional.empty();
    /** This session as the initial seeding knows it: sends the peer a HAVE, from any thread. */
    private IntConsumer have = index -> { };

    public ServerSession(ContentSource source) {
        this(source, new Uploads(TransferLimits.defaults()), PeerId.UNKNOWN);
    }

    public ServerSession(ContentSource source, Uploads uploads, PeerId nodeId) {
        this.source = source;
        this.uploads = uploads;
        this.nodeId = nodeId;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof Message.Hello hello) {
            onHello(ctx, hello);
        } else if (content.isEmpty()) {
            closeBecause(ctx, "sent " + msg + " before HELLO");
        } else if (msg instanceof Message.ManifestRequest) {
            ctx.writeAndFlush(new Message.ManifestData(content.get().manifest().canonicalBytes()));
        } else if (msg instanceof Message.Request request) {
            onRequest(ctx, content.get(), request.index());
        } else if (msg instanceof Message.Cancel cancel) {
            // Already sent ones are on their way: nothing to take back.
            if (queued.remove(cancel.index())) {
                seedingStep(s -> s.requestDropped(have, cancel.index()));
            }
        } else if (msg instanceof Message.Have || msg instanceof Message.Bitfield) {
            // Downloaders announce their chunks; this side only serves, so there is nothing to do with them.
        } else if (msg instanceof Message.Goodbye goodbye) {
            log.debug("{} said goodbye: {}", ctx.channel().remoteAddress(), goodbye.reason());
            ctx.close();
        } else {
            closeBecause(ctx, "unexpected " + msg);
        }
    }

    private void onHello(ChannelHandlerContext ctx, Message.Hello hello) {
        if (content.isPresent()) {
            closeBecause(ctx, "second HELLO");
            return;
        }
        if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION) {
            goodbye(ctx, "unsupported protocol version " + hello.protocolVersion());
            return;
        }
        content = source.serve(hello.contentId());
        if (content.isEmpty()) {
            goodbye(ctx, "unknown content " + hello.contentId());
            return;
        }
        ServedContent served = content.get();
        contentId = hello.contentId();
        peerNodeId = hello.nodeId();
        ctx.write(new Message.Hello(FrameCodec.PROTOCOL_VERSION, nodeId, hello.contentId()));
        log.info("peer {} connected for {}", ctx.channel().remoteAddress(), contentId);
        // Subscribe before taking the snapshot so no chunk falls between them (a duplicate HAVE is harmless).
        // No HAVE for a chunk this node's own download has heard the peer holds (over the link the other way).
        PeerId peer = peerNodeId;
        IntConsumer sendHave = index -> ctx.executor().execute(() -> ctx.writeAndFlush(new Message.Have(index)));
        haveSubscription = Optional.of(served.subscribe(index -> {
            if (!served.peerHoldings().isHeldBy(peer, index)) {
                sendHave.accept(index);
            }
        }));
        BitSet bitfield = served.held();
        // Once every chunk went out, a newcomer is served as by any seeder: full BITFIELD, upload slots.
        seeding = uploads.initialSeedingOf(contentId).filter(s -> {
            synchronized (s) {
                return !s.isOver();
            }
        });
        if (seeding.isPresent()) {
            have = sendHave;
            synchronized (seeding.get()) {
                bitfield = seeding.get().peerJoined(have);
            }
            // The reveals ration the upload (a few chunks asked at a time), so no upload slot is needed.
            ctx.write(Message.Bitfield.of(bitfield));
            exchangePeers(ctx, hello);
            ctx.flush();
            return;
        }
        ctx.write(Message.Bitfield.of(bitfield));
        exchangePeers(ctx, hello);
        UploadSlots.Member member = new UploadSlots.Member() {
            @Override
            public void choke() {
                ctx.executor().execute(() -> setChoked(ctx, true));
            }

            @Override
            public void unchoke() {
                ctx.executor().execute(() -> setChoked(ctx, false));
            }
        };
        slot = Optional.of(member);
        if (!uploads.slotsFor(contentId).join(member)) {
            choked = true;
            ctx.write(new Message.Choke());
        }
        ctx.flush();
    }

    /** Tells the peer where the content's other peers serve, and them where this one does (if it said). */
    private void exchangePeers(ChannelHandlerContext ctx, Message.Hello hello) {
        Optional<InetSocketAddress> serving = Optional.empty();
        if (hello.listenPort() > 0 && ctx.channel().remoteAddress() instanceof InetSocketAddress peer) {
            serving = Optional.of(new InetSocketAddress(peer.getAddress(), hello.listenPort()));
        }
        PeerExchange.Member member = peers -> ctx.executor().execute(() -> {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(Message.Peers.of(peers));
            }
        });
        exchange = Optional.of(member);
        List<InetSocketAddress> others = uploads.peerExchangeOf(contentId).join(member, serving);
        if (!others.isEmpty()) {
            ctx.write(Message.Peers.of(others));
        }
    }

    private void setChoked(ChannelHandlerContext ctx, boolean choke) {
        if (!ctx.channel().isActive() || choked == choke) {
            return;
        }
        choked = choke;
        if (choke) {
            queued.clear(); // the peer treats its outstanding requests as cancelled
        }
        ctx.writeAndFlush(choke ? new Message.Choke() : new Message.Unchoke());
    }

    private void onRequest(ChannelHandlerContext ctx, ServedContent served, int index) {
        Manifest manifest = served.manifest();
        if (index < 0 || index >= manifest.chunkCount()) {
            ctx.writeAndFlush(new Message.Reject(index, "no chunk " + index + " in " + manifest.chunkCount()));
        } else if (choked) {
            ctx.writeAndFlush(new Message.Reject(index, "choked"));
        } else if (!served.holds(index)) {
            ctx.writeAndFlush(new Message.Reject(index, "chunk " + index + " not held yet"));
        } else if (queued.size() >= MAX_QUEUED_REQUESTS) {
            closeBecause(ctx, "more than " + MAX_QUEUED_REQUESTS + " requests queued");
        } else {
            slot.ifPresent(member -> uploads.slotsFor(contentId).requested(member)); // the slot is in use
            queued.add(index);
            drain(ctx);
        }
    }

    /**
     * Sends queued chunks while the channel can take them and the upload limits allow. Under a limit the
     * next chunk stays queued (cancellable, dropped by a CHOKE) until the node's buckets are out of debt,
     * then this session competes for them again with the node's other sessions.
     */
    private void drain(ChannelHandlerContext ctx) {
        boolean wrote = false;
        ServedContent served = content.orElseThrow();
        while (!throttled && ctx.channel().isWritable() && !queued.isEmpty()) {
            int index = queued.peek();
            long wait = TokenBucket.tryReserveAll(uploads.limitsFor(contentId), served.manifest().chunkLength(index));
            if (wait > 0) {
                throttled = true;
                ctx.executor().schedule(() -> {
                    throttled = false;
                    if (ctx.channel().isActive()) {
                        drain(ctx);
                    }
                }, wait, TimeUnit.NANOSECONDS);
                break;
            }
            queued.poll();
            send(ctx, served, index);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void send(ChannelHandlerContext ctx, ServedContent served, int index) {
        Manifest manifest = served.manifest();
        int length = manifest.chunkLength(index);
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer) {
            uploads.count(contentId, peerNodeId, peer, length);
        }
        ctx.write(FrameCodec.chunkHeader(index, length, ctx.alloc()));
        // Zero-copy from the page cache; a region opens its file lazily and closes it when released. A chunk
        // of a directory share may span several files, hence several regions.
        for (FileSpan span : layout(served).spans(manifest.chunkOffset(index), length)) {
            ctx.write(new DefaultFileRegion(span.file().toFile(), span.fileOffset(), span.length()))
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        seedingStep(s -> s.chunkSent(have, index));
    }

    /** One step of the content's initial seeding, if any, under its lock; then the HAVEs it decided. */
    private void seedingStep(Function<InitialSeeding<IntConsumer>, List<InitialSeeding.Reveal<IntConsumer>>> step) {
        if (seeding.isEmpty()) {
            return;
        }
        List<InitialSeeding.Reveal<IntConsumer>> reveals;
        synchronized (seeding.get()) {
            reveals = step.apply(seeding.get());
        }
        reveals.forEach(r -> r.peer().accept(r.index()));
    }

    private record RootedLayout(Path root, ContentLayout layout) {
    }

    private ContentLayout layout(ServedContent served) {
        Path root = served.root();
        if (layout.isEmpty() || !layout.get().root().equals(root)) {
            layout = Optional.of(new RootedLayout(root, served.layoutAt(root)));
        }
        return layout.get().layout();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && content.isPresent()) {
            drain(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        haveSubscription.ifPresent(s -> {
            try {
                s.close();
            } catch (Exception e) {
                log.debug("unsubscribing: {}", e.toString());
            }
        });
        queued.clear();
        seedingStep(s -> s.peerLeft(have));
        slot.ifPresent(member -> uploads.slotsFor(contentId).leave(member));
        exchange.ifPresent(member -> uploads.peerExchangeOf(contentId).leave(member));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            // A peer that hangs up mid-transfer is ordinary, not worth a warning.
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        closeBecause(ctx, cause.toString());
    }

    private static void goodbye(ChannelHandlerContext ctx, String reason) {
        log.info("refusing {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(new Message.Goodbye(reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private static void closeBecause(ChannelHandlerContext ctx, String reason) {
        log.warn("closing {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
