package dev.kadshare.transfer.netty;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.link.LinkSecurity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a download's connections, on the download's event loop, each reporting to the download's listener and handed
 * to {@code current} as the link's channel (again when an IK attempt is replaced by an XX one).
 */
final class Dialer {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final FrameBuffers frameBuffers;
    private final Duration idleTimeout;
    private final PeerLink.Listener events;
    private final LinkSecurity links;
    private final BiConsumer<Link, Channel> current;
    /**
     * Peers dialled from our listening port instead of an ephemeral one: those a rendezvous introduced us to, which
     * dial us back at the same moment (hole punching).
     */
    private final Map<InetSocketAddress, InetSocketAddress> punched;
    private final Consumer<InetSocketAddress> unreachable;

    Dialer(EventLoopGroup group, EventLoop loop, FrameBuffers frameBuffers, Duration idleTimeout,
            PeerLink.Listener events, LinkSecurity links, BiConsumer<Link, Channel> current,
            Map<InetSocketAddress, InetSocketAddress> punched, Consumer<InetSocketAddress> unreachable) {
        this.links = links;
        this.punched = punched;
        this.unreachable = unreachable;
        this.current = current;
        this.loop = loop;
        this.frameBuffers = frameBuffers;
        this.idleTimeout = idleTimeout;
        this.events = events;
        this.bootstrap = new Bootstrap()
                .group(loop) // every connection of this download on the same loop as its state
                .channel(Transport.of(group).socketChannel())
                .option(ChannelOption.TCP_NODELAY, true) // small REQUESTs must not wait for ACKs (Nagle)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Starts connecting for {@code link}, from our listening port if the peer is one we punch to; a connection that
     * cannot be made is reported closed, on the loop, and the peer unreachable.
     */
    void dial(Link link) {
        Bootstrap dialing = bootstrap.clone();
        InetSocketAddress from = punched.get(link.peer());
        if (from != null) {
            dialing.localAddress(from);
        }
        ChannelFuture connecting = dialing
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws IOException {
                        if (from != null) {
                            Transport.sharePort(ch); // registered, not yet bound: the connect binds it to `from`
                        }
                        ch.pipeline().addLast("idle",
                                new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        LinkPipeline.install(ch.pipeline(), links, Optional.of(link.peer()),
                                Optional.of(() -> dial(link)));
                        WirePipeline.installReceiving(ch.pipeline(), frameBuffers,
                                links instanceof LinkSecurity.PlaintextForMeasurement);
                        ch.pipeline().addLast("link", new PeerLink(link, events));
                    }
                })
                .connect(link.peer());
        current.accept(link, connecting.channel());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                // Usually on the loop; but a channel that could not even be created or registered (say, out of
                // file descriptors) completes its future on Netty's global executor, and our state is the loop's.
                loop.execute(() -> {
                    // The download reports what it means for it (its owner retries, and warns once per cause).
                    log.debug("cannot connect to {}: {}", link.peer(), f.cause().toString());
                    unreachable.accept(link.peer()); // first: the close may end the download
                    events.onClosed(link);
                });
            }
        });
    }
}
