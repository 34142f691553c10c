package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.wire.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The downloading side of one connection: hands every event to a {@link Listener}, tagged with its {@link Link}. */
public final class PeerLink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    /** Receives the events of one peer connection, on the channel's event loop. */
    public interface Listener {
        /** The link is up, to {@code node} as its handshake proved ({@link PeerId#UNKNOWN} on a plaintext link). */
        void onConnected(Link link, PeerId node);

        void onMessage(Link link, Message message);

        /** A chunk whose body is a slice of the inbound buffer: the listener owns it and must free it. */
        void onChunk(Link link, ReceivedChunk chunk);

        void onClosed(Link link);

        /** Nothing arrived from the peer for the idle timeout of the channel's {@code IdleStateHandler}. */
        void onIdle(Link link);

        /** Whether chunks are owed on {@code link} now (asked on the channel's loop, as a frame's length arrives). */
        boolean awaitsChunks(Link link);
    }

    private final Link link;
    private final Listener listener;
    private PeerId node = PeerId.UNKNOWN;

    public PeerLink(Link link, Listener listener) {
        this.link = link;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.info("connected to peer {}", link.peer());
        listener.onConnected(link, node);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ReceivedChunk chunk) {
            listener.onChunk(link, chunk);
        } else if (msg instanceof Message message) {
            listener.onMessage(link, message);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.onClosed(link);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof LinkEstablished established) {
            node = established.nodeId();
        } else if (event instanceof IdleStateEvent) {
            listener.onIdle(link);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that hangs up is ordinary; anything else is a bug or a hostile peer worth a warning.
        if (cause instanceof java.io.IOException) {
            log.debug("closing {}: {}", link.peer(), cause.toString());
        } else {
            log.warn("closing {}: {}", link.peer(), cause.toString());
        }
        ctx.close();
    }
}
