package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.serving.HubEvent;
import dev.kadshare.transfer.serving.SessionId;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of one connection, a thin adapter: it checks the HELLO (version, a content it serves), joins the
 * content's hub ({@link NettyServingHub}), passes the peer's requests and its own writability and closing to the
 * hub, and carries out on its channel what the hub decides: messages, chunks as file spans, GOODBYE, close. Spans
 * count towards the channel's writability, so the writability the hub hears of reflects the chunks queued (on a
 * plaintext link they wait in the outbound buffer as file regions, {@link #SIZE_ESTIMATOR}; on an encrypted one in the
 * link's {@link RecordWriter}, until sealed); the hub hands a session a chunk only while it can take one, and control messages
 * wait for writability too ({@link ControlWrites}), within the connection's outbound budget. It guards the
 * connection ({@link ConnectionGuards}): HELLO in time, the cap per content, unread answers within the budget.
 */
public final class ServerSession extends SimpleChannelInboundHandler<Message> {
    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);
    private static final InetSocketAddress UNSPECIFIED = new InetSocketAddress(0);

    /** Counts file regions by their size, so that writability reflects chunks queued zero-copy. */
    public static final MessageSizeEstimator SIZE_ESTIMATOR = () -> msg -> {
        if (msg instanceof FileRegion region) {
            return (int) Math.min(Integer.MAX_VALUE, region.count());
        }
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        return 64;
    };

    /** What a hub has a session do on its channel. */
    sealed interface Output {
        /** Frees what it holds, when it will not be written. */
        default void release() {
        }

        record Send(Message message) implements Output {
        }

        /** Chunk {@code index}: its header, then its bytes from its spans' files (each opened when its turn comes). */
        record Chunk(int index, int length, List<ServedSpan> spans) implements Output {
        }

        record Goodbye(String reason) implements Output {
        }

        record Close(String reason) implements Output {
        }
    }

    /**
     * Manifest requests passed to the hub and not yet answered: an honest downloader asks once per connection, and
     * a flood of 6-byte requests must not become a flood of manifest copies before the budget closes it.
     */
    static final int MAX_UNANSWERED_MANIFESTS = 2;

    private final ContentSource source;
    private final ServingHubs hubs;
    private final ConnectionGuards guards;
    private ChannelHandlerContext ctx;
    private ControlWrites controls;
    private HelloDeadline helloDeadline;
    /** Set by the HELLO: the hub this session joined, and its name there. */
    private Optional<NettyServingHub> hub = Optional.empty();
    private SessionId id;
    /** The content counted against its cap, once joined. */
    private Optional<ContentId> joined = Optional.empty();
    private int manifestsUnanswered;
    /** This side closed the connection: what the peer sent meanwhile is not looked at. */
    private boolean closing;
    /** Who the link's handshake proved the peer to be; unknown on a plaintext link (measurement only). */
    private PeerId proven = PeerId.UNKNOWN;

    public ServerSession(ContentSource source, ServingHubs hubs, ConnectionGuards guards) {
        this.source = source;
        this.hubs = hubs;
        this.guards = guards;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.controls = new ControlWrites(ctx, guards.limits().outboundBudget());
        this.helloDeadline = new HelloDeadline(ctx.executor(), guards.limits().helloTimeout(),
                () -> drop(ConnectionDrop.HELLO_TIMEOUT, "no HELLO within " + guards.limits().helloTimeout()));
        helloDeadline.restart();
    }

    /** Taken out (the connection turned out to be a relay request): its deadline goes with it. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        helloDeadline.cancel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof LinkEstablished established) {
            proven = established.nodeId();
            if (refusedAsBanned(ctx)) {
                return;
            }
        }
        if (event instanceof LinkReady && hub.isEmpty() && !closing) {
            helloDeadline.restart();
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * Bytes kept back from the channel's outbound buffer: control messages waiting for writability and, on an
     * encrypted link, what waits to be sealed; with the outbound buffer, what is queued here.
     */
    public long keptBackBytes() {
        RecordCodec records = ctx.pipeline().get(RecordCodec.class);
        return controls.keptBackBytes() + (records == null ? 0 : records.queuedBytes());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (closing) {
            return;
        }
        if (msg instanceof Message.Hello hello) {
            onHello(ctx, hello);
        } else if (hub.isEmpty()) {
            closeBecause(ctx, "sent " + msg + " before HELLO");
        } else if (msg instanceof Message.Request request) {
            hub.get().post(new HubEvent.Requested(id, request.index()));
        } else if (msg instanceof Message.Cancel cancel) {
            hub.get().post(new HubEvent.Cancelled(id, cancel.index()));
        } else if (msg instanceof Message.ManifestRequest) {
            if (++manifestsUnanswered > MAX_UNANSWERED_MANIFESTS) {
                drop(ConnectionDrop.OUTBOUND_BUDGET, "more than " + MAX_UNANSWERED_MANIFESTS + " manifest requests unanswered");
                return;
            }
            hub.get().post(new HubEvent.ManifestRequested(id));
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
        if (hub.isPresent()) {
            closeBecause(ctx, "second HELLO");
            return;
        }
        helloDeadline.cancel();
        if (refusedAsBanned(ctx)) {
            return;
        }
        if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION) {
            goodbye(ctx, "unsupported protocol version " + hello.protocolVersion());
            return;
        }
        Optional<ServedContent> served = source.serve(hello.contentId());
        if (served.isEmpty()) {
            goodbye(ctx, "unknown content " + hello.contentId());
            return;
        }
        Optional<ConnectionDrop> refused = guards.caps().join(hello.contentId());
        if (refused.isPresent()) {
            guards.drops().record(refused.get());
            goodbye(ctx, "too many connections for " + hello.contentId());
            return;
        }
        joined = Optional.of(hello.contentId());
        controls.atLeastTwice(served.get().manifest().canonicalLength());
        Optional<InetSocketAddress> peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? Optional.of(a) : Optional.empty();
        InetSocketAddress remote = peer.orElse(UNSPECIFIED);
        Optional<InetSocketAddress> serving = peer.filter(a -> hello.listenPort() > 0)
                .map(a -> new InetSocketAddress(a.getAddress(), hello.listenPort()));
        log.info("peer {} connected for {}", ctx.channel().remoteAddress(), hello.contentId());
        id = hubs.newSession();
        hub = Optional.of(hubs.hubFor(hello.contentId(), served.get(), ctx.channel().eventLoop()));
        hub.get().join(this, new HubEvent.Joined(id, proven, remote, serving));
    }

    /** What the hub decided for this session, from the hub's loop: carried out on this channel's. */
    void carryOut(List<Output> outputs) {
        if (ctx.executor().inEventLoop()) {
            write(outputs);
            return;
        }
        try {
            ctx.executor().execute(() -> write(outputs));
        } catch (RejectedExecutionException closing) {
            outputs.forEach(Output::release);
        }
    }

    private void write(List<Output> outputs) {
        int chunks = 0;
        for (Output output : outputs) {
            if (closing || !ctx.channel().isActive()) {
                output.release();
            } else if (output instanceof Output.Send send) {
                if (send.message() instanceof Message.ManifestData) {
                    manifestsUnanswered--;
                }
                if (controls.offer(send.message()) == ControlWrites.Offer.OVER_BUDGET) {
                    drop(ConnectionDrop.OUTBOUND_BUDGET, "outbound budget spent: it asks without reading");
                }
            } else if (output instanceof Output.Chunk chunk) {
                Optional<List<?>> parts = sendable(chunk);
                if (parts.isEmpty()) {
                    continue;
                }
                ctx.write(FrameCodec.chunkHeader(chunk.index(), chunk.length(), ctx.alloc()));
                for (Object part : parts.get()) {
                    ctx.write(part).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                }
                chunks++;
            } else if (output instanceof Output.Goodbye goodbye) {
                goodbye(ctx, goodbye.reason());
                closing = true;
            } else if (output instanceof Output.Close close) {
                closeBecause(ctx, close.reason());
                closing = true;
            }
        }
        ctx.flush();
        boolean writable = ctx.channel().isWritable();
        for (int i = 0; i < chunks; i++) {
            hub.get().post(new HubEvent.ChunkWritten(id, writable));
        }
    }

    /**
     * What to write of a chunk after its header: on an encrypted link its spans, each file opened as the link's
     * {@link RecordWriter} comes to it; on a plaintext one (measurements only) its files opened now, for a zero-copy
     * send, or nothing, and the hub told, if one cannot be.
     */
    private Optional<List<?>> sendable(Output.Chunk chunk) {
        if (ctx.pipeline().get(RecordCodec.class) != null) {
            return Optional.of(chunk.spans());
        }
        List<DefaultFileRegion> regions = new ArrayList<>(chunk.spans().size());
        try {
            for (ServedSpan span : chunk.spans()) {
                regions.add(span.region());
            }
            return Optional.of(regions);
        } catch (IOException e) {
            regions.forEach(DefaultFileRegion::release);
            log.warn("cannot read chunk {}: {}", chunk.index(), e.toString());
            hub.get().post(new HubEvent.ChunkUnreadable(id, chunk.index()));
            return Optional.empty();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // What was kept back goes first, so the hub hears of room only if some is left.
        controls.drain();
        hub.ifPresent(h -> h.post(new HubEvent.WritabilityChanged(id, ctx.channel().isWritable())));
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        helloDeadline.cancel();
        controls.discard();
        joined.ifPresent(guards.caps()::leave);
        joined = Optional.empty();
        hub.ifPresent(h -> h.post(new HubEvent.Left(id)));
        ctx.fireChannelInactive();
    }

    /**
     * Closes the connection, counted, if the node banned the peer (its proven node id, or its IP) for bad data in any
     * of its downloads: a node that cheats it is served nothing either. True if so.
     */
    private boolean refusedAsBanned(ChannelHandlerContext ctx) {
        boolean banned = guards.bans().isBanned(proven)
                || (ctx.channel().remoteAddress() instanceof InetSocketAddress a && guards.bans().isBanned(a));
        if (banned) {
            drop(ConnectionDrop.BANNED, "banned for bad data");
        }
        return banned;
    }

    /** Closes the connection of this side's accord, counted as {@code why}. */
    private void drop(ConnectionDrop why, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        guards.drops().record(why);
        log.info("closing {}: {}", ctx.channel().remoteAddress(), reason);
        controls.discard();
        ctx.close();
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
