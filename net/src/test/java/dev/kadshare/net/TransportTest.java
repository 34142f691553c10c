package dev.kadshare.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each transport's groups are recognised, and a taken port is a BindException on either. */
class TransportTest {
    @Test
    void aTakenPortIsABindExceptionOnEveryTransportAvailableHere() {
        for (Transport transport : Transport.values()) {
            if (transport == Transport.EPOLL && Transport.preferred() != Transport.EPOLL) {
                continue; // no native epoll on this machine: nothing of it to test
            }
            EventLoopGroup group = transport.newGroup(1);
            try {
                assertEquals(transport, Transport.of(group));
                Channel first = bind(transport, group, new InetSocketAddress("127.0.0.1", 0)).channel();
                InetSocketAddress taken = (InetSocketAddress) first.localAddress();
                ChannelFuture second = bind(transport, group, taken);
                assertInstanceOf(BindException.class, Transport.bindFailure(taken, second.cause()), transport.name());
                first.close().awaitUninterruptibly();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    private static ChannelFuture bind(Transport transport, EventLoopGroup group, InetSocketAddress address) {
        return new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childHandler(new ChannelInboundHandlerAdapter()).bind(address).awaitUninterruptibly();
    }
}
