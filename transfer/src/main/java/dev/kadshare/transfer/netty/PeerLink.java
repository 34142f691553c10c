package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.wire.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The downloading side of one connection: hands every event to a {@link Listener}, tagged with the peer. */
public final class PeerLink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    /** Receives the events of one peer connection, on the channel's event loop. */
    public interface Listener {
        void onConnected(InetSocketAddress peer);

        void onMessage(InetSocketAddress peer, Message message);

        /** A chunk body, a slice of the inbound buffer: the listener owns one reference and must release it. */
        void onChunk(InetSocketAddress peer, int index, ByteBuf body);

        void onClosed(InetSocketAddress peer);

        /** Nothing arrived from the peer for the idle timeout of the channel's {@code IdleStateHandler}. */
        void onIdle(InetSocketAddress peer);
    }

    private final InetSocketAddress peer;
    private final Listener listener;

    public PeerLink(InetSocketAddress peer, Listener listener) {
        this.peer = peer;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.info("connected to peer {}", peer);
        listener.onConnected(peer);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ReceivedChunk chunk) {
            listener.onChunk(peer, chunk.index(), chunk.content());
        } else if (msg instanceof Message message) {
            listener.onMessage(peer, message);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.onClosed(peer);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            listener.onIdle(peer);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that hangs up is ordinary; anything else is a bug or a hostile peer worth a warning.
        if (cause instanceof java.io.IOException) {
            log.debug("closing {}: {}", peer, cause.toString());
        } else {
            log.warn("closing {}: {}", peer, cause.toString());
        }
        ctx.close();
    }
}
