package dev.kadshare.dht.net;

import dev.kadshare.dht.node.DatagramTransport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** Sends the core's datagrams on a Netty UDP channel; a failed send is simply lost, as UDP would lose it. */
public final class NettyDatagramTransport implements DatagramTransport {
    private final Channel channel;

    public NettyDatagramTransport(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), channel.voidPromise());
    }
}
