package dev.kadshare.transfer.netty;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.relay.RelayRequest;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's side of relayed circuits as a sharer: one connection waiting at each relay it was asked to wait at
 * (RESERVE), served on as an accepted connection once the relay opens a circuit on it, and replaced by a new waiting
 * one then. A waiting connection the relay closes (its time is up, or it refused) is not replaced: the next
 * introduction through that relay asks again.
 */
public final class Relaying {
    private static final Logger log = LoggerFactory.getLogger(Relaying.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Bootstrap bootstrap;
    private final ChannelHandler serving;
    private final ChannelGroup connections;
    private final Consumer<InetSocketAddress> circuitOpened;
    private final Set<InetSocketAddress> waitingAt = ConcurrentHashMap.newKeySet();
    private final AtomicLong opened = new AtomicLong();

    /**
     * {@code serving}: the server's initializer for accepted connections; {@code connections}: the server's, closed
     * with it; {@code circuitOpened}: told of each relay that opened a circuit to us.
     */
    public Relaying(EventLoopGroup group, Transport transport, ChannelHandler serving, ChannelGroup connections,
            Consumer<InetSocketAddress> circuitOpened) {
        this.serving = serving;
        this.connections = connections;
        this.circuitOpened = circuitOpened;
        this.bootstrap = ServingOptions.on(new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS));
    }

    /** Waits at {@code relay} under {@code announcedPort}, unless a connection already waits there. */
    public void reserveAt(InetSocketAddress relay, int announcedPort) {
        if (!waitingAt.add(relay)) {
            return;
        }
        AtomicBoolean circuit = new AtomicBoolean();
        byte[] request = RelayWire.encode(new RelayRequest.Reserve(announcedPort));
        ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("relay", new RelayGreeting(RelayGreeting.End.SHARER, request, () -> {
                    circuit.set(true);
                    opened.incrementAndGet();
                    waitingAt.remove(relay);
                    log.info("relay {} opened a circuit to us", relay);
                    circuitOpened.accept(relay);
                    reserveAt(relay, announcedPort);
                }, status -> { }));
                ch.pipeline().addLast("serve", new ServeWhenConnected(serving));
            }
        }).connect(relay);
        connections.add(connecting.channel());
        connecting.channel().closeFuture().addListener(closed -> {
            if (!circuit.get()) {
                waitingAt.remove(relay);
            }
        });
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                log.debug("waiting at relay {} for a getter", relay);
            } else {
                log.debug("cannot reach relay {}: {}", relay, f.cause().toString());
            }
        });
    }

    /** Circuits relays opened to us. */
    public long circuitsOpened() {
        return opened.get();
    }
}
