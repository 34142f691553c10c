package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.ServedContent;
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
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of one connection, a thin adapter: it checks the HELLO (version, a content it serves), joins the
 * content's hub ({@link NettyServingHub}), passes the peer's requests and its own writability and closing to the
 * hub, and carries out on its channel what the hub decides: messages, chunks as zero-copy file regions, GOODBYE,
 * close. File regions count towards the outbound buffer ({@link #SIZE_ESTIMATOR}), so the writability the hub hears
 * of reflects the chunks queued; the hub hands a session a chunk only while it can take one.
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

        /** Chunk {@code index}: its header, then its bytes from the regions (files already open). */
        record Chunk(int index, int length, List<DefaultFileRegion> regions) implements Output {
            @Override
            public void release() {
                regions.forEach(DefaultFileRegion::release);
            }
        }

        record Goodbye(String reason) implements Output {
        }

        record Close(String reason) implements Output {
        }
    }

    private final ContentSource source;
    private final ServingHubs hubs;
    private ChannelHandlerContext ctx;
    /** Set by the HELLO: the hub this session joined, and its name there. */
    private Optional<NettyServingHub> hub = Optional.empty();
    private SessionId id;
    /** Who the link's handshake proved the peer to be; unknown on a plaintext link (measurement only). */
    private PeerId proven = PeerId.UNKNOWN;

    public ServerSession(ContentSource source, ServingHubs hubs) {
        this.source = source;
        this.hubs = hubs;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof Message.Hello hello) {
            onHello(ctx, hello);
        } else if (hub.isEmpty()) {
            closeBecause(ctx, "sent " + msg + " before HELLO");
        } else if (msg instanceof Message.Request request) {
            hub.get().post(new HubEvent.Requested(id, request.index()));
        } else if (msg instanceof Message.Cancel cancel) {
            hub.get().post(new HubEvent.Cancelled(id, cancel.index()));
        } else if (msg instanceof Message.ManifestRequest) {
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
        if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION) {
            goodbye(ctx, "unsupported protocol version " + hello.protocolVersion());
            return;
        }
        Optional<ServedContent> served = source.serve(hello.contentId());
        if (served.isEmpty()) {
            goodbye(ctx, "unknown content " + hello.contentId());
            return;
        }
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
        boolean closing = false;
        for (Output output : outputs) {
            if (closing || !ctx.channel().isActive()) {
                output.release();
            } else if (output instanceof Output.Send send) {
                ctx.write(send.message());
            } else if (output instanceof Output.Chunk chunk) {
                ctx.write(FrameCodec.chunkHeader(chunk.index(), chunk.length(), ctx.alloc()));
                for (DefaultFileRegion region : chunk.regions()) {
                    ctx.write(region).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
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

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof LinkEstablished established) {
            proven = established.nodeId();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        hub.ifPresent(h -> h.post(new HubEvent.WritabilityChanged(id, ctx.channel().isWritable())));
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        hub.ifPresent(h -> h.post(new HubEvent.Left(id)));
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
