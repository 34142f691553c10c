package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection on which nothing was read and no write made progress for a while, and counts it as
 * {@link ConnectionDrop#IDLE}. Placed first in the pipeline, it sees every byte, a link handshake's included; a
 * chunk still draining slowly to a slow reader is progress (Netty's {@code observeOutput}), not idleness.
 */
public final class IdleClose extends IdleStateHandler {
    private static final Logger log = LoggerFactory.getLogger(IdleClose.class);
    private final ConnectionDrops drops;

    public IdleClose(Duration timeout, ConnectionDrops drops) {
        super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
        this.drops = drops;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.ALL_IDLE && ctx.channel().isActive()) {
            drops.record(ConnectionDrop.IDLE);
            log.info("closing {}: idle", ctx.channel().remoteAddress());
            ctx.close();
        }
    }
}
