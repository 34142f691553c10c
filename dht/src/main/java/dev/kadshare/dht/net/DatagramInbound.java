package dev.kadshare.dht.net;

import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.node.FamilyNodes;
import dev.kadshare.dht.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands inbound datagrams to the node of their source's family, on the channel's event loop (the nodes' thread). */
public final class DatagramInbound extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(DatagramInbound.class);

    /** Set once the nodes exist (they need the bound address); datagrams before that are dropped. */
    private volatile Optional<FamilyNodes> nodes = Optional.empty();

    public void attach(FamilyNodes nodes) {
        this.nodes = Optional.of(nodes);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress from = FamilyNodes.plain(packet.sender());
        Optional<DhtNode> target = nodes.flatMap(n -> n.of(from.getAddress()));
        if (target.isEmpty()) {
            return;
        }
        ByteBuf content = packet.content();
        // Copy at most one byte past the limit: enough for the codec to see it is oversized.
        byte[] data = new byte[Math.min(content.readableBytes(), MessageCodec.MAX_DATAGRAM + 1)];
        content.getBytes(content.readerIndex(), data);
        target.get().onDatagram(from, data);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP errors (e.g. ICMP port unreachable) must not close the channel; the RPC timeout covers them.
        log.debug("UDP channel error", cause);
    }
}
