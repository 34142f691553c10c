package dev.kadshare.simulation.loopback;

import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.simulation.cluster.LookupTap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** Hands inbound datagrams to the node on its event loop, showing them to the {@link LookupTap} first. */
final class TappedInbound extends SimpleChannelInboundHandler<DatagramPacket> {
    private final LookupTap tap;
    private volatile DhtNode node;
    private volatile InetSocketAddress local;

    TappedInbound(LookupTap tap) {
        this.tap = tap;
    }

    void attach(DhtNode node) {
        this.local = node.localAddress();
        this.node = node;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        DhtNode target = node;
        if (target == null) {
            return;
        }
        ByteBuf content = packet.content();
        // At most one byte past the limit, as the production adapter: enough for the codec to see oversize.
        byte[] data = new byte[Math.min(content.readableBytes(), MessageCodec.MAX_DATAGRAM + 1)];
        content.getBytes(content.readerIndex(), data);
        tap.received(local, packet.sender(), data);
        target.onDatagram(packet.sender(), data);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP unreachable and the like must not close the channel; the RPC timeout covers them.
    }
}
