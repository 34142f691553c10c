package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.relay.RelayCircuits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a relayed circuit: what it reads goes to the other end's connection unchanged, counted against the
 * circuit's byte cap (past it both are closed); it stops reading while the other end cannot keep up, and a close of
 * either end closes the other.
 */
final class RelaySplice extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelaySplice.class);
    private final Channel partner;
    private final RelayCircuits.Circuit circuit;
    private final RelayService relay;

    RelaySplice(Channel partner, RelayCircuits.Circuit circuit, RelayService relay) {
        this.partner = partner;
        this.circuit = circuit;
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!relay.carry(circuit, bytes.readableBytes())) {
            bytes.release();
            log.info("relayed circuit {} <-> {} passed its cap of {} bytes: closed", ctx.channel().remoteAddress(),
                    partner.remoteAddress(), relay.caps().bytesPerCircuit());
            relay.closed(circuit, true);
            ctx.close();
            partner.close();
            return;
        }
        partner.write(bytes);
        if (!partner.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        partner.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            partner.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        relay.closed(circuit, false);
        partner.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("relayed connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
