package dev.kadshare.dht.net;

import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands inbound datagrams to the node, on the channel's event loop (the node's thread). */
public final class DatagramInbound extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(DatagramInbound.class);

    /** Set once the node exists (it needs the bound address); datagrams before that are dropped. */
    private volatile DhtNode node;

    public void attach(DhtNode node) {
        this.node = node;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        DhtNode target = node;
        if (target == null) {
            return;
        }
        ByteBuf content = packet.content();
        // Copy at most one byte past the limit: enough for the codec to see it is oversized.
        byte[] data = new byte[Math.min(content.readableBytes(), MessageCodec.MAX_DATAGRAM + 1)];
        content.getBytes(content.readerIndex(), data);
        target.onDatagram(packet.sender(), data);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP errors (e.g. ICMP port unreachable) must not close the channel; the RPC timeout covers them.
        log.debug("UDP channel error", cause);
    }
}
