package dev.kadshare.transfer.netty;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.relay.RelayRequest;
import dev.kadshare.transfer.relay.RelayWire;
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
    /**
     * A plain dial not made by then is reported stalled, and the next way (an introduction, then a relay) is tried
     * beside it: a peer behind a NAT never answers a SYN, and waiting out the timeout cost 10 s a step. A lost
     * SYN is sent again after 1 s, so 2 s leaves room for one.
     */
    static final Duration DIAL_PATIENCE = Duration.ofSeconds(2);
    /** As {@link #DIAL_PATIENCE} for a punched dial: both sides' SYNs must cross, and a retransmission follows at 3 s. */
    static final Duration PUNCH_PATIENCE = Duration.ofSeconds(4);

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
    /** Peers reached through a relay (neither side can accept, and punching failed), and which relay. */
    private final Map<InetSocketAddress, InetSocketAddress> relayed;
    private final Consumer<InetSocketAddress> unreachable;
    /** Told, on the loop, of each peer whose plain or punched dial is still not made after its patience. */
    private final Consumer<InetSocketAddress> stalled;
    /** Connections given up for another way to the same peer ({@link #replace}): their failure is no news; loop-only. */
    private final java.util.Set<Channel> replaced = new java.util.HashSet<>();
    /** Told, on the loop, of each link whose relayed circuit opened. */
    private final Consumer<Link> circuitOpened;

    Dialer(EventLoopGroup group, EventLoop loop, FrameBuffers frameBuffers, Duration idleTimeout,
            PeerLink.Listener events, LinkSecurity links, BiConsumer<Link, Channel> current,
            Map<InetSocketAddress, InetSocketAddress> punched, Map<InetSocketAddress, InetSocketAddress> relayed,
            Consumer<InetSocketAddress> unreachable, Consumer<InetSocketAddress> stalled, Consumer<Link> circuitOpened) {
        this.links = links;
        this.stalled = stalled;
        this.circuitOpened = circuitOpened;
        this.punched = punched;
        this.relayed = relayed;
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
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.ALLOCATOR, TransferAllocator.INSTANCE);
    }

    /**
     * Dials {@code link} again, the way now set for its peer, in place of its connection still being made: that one is
     * closed and its failure reported to nobody (the download sees one link, connecting all along).
     */
    void replace(Link link, Channel pending) {
        replaced.add(pending);
        pending.close();
        dial(link);
    }

    /** A plain connection to {@code peer} and nothing on it (closed once made): can it be dialled directly? */
    ChannelFuture probe(InetSocketAddress peer) {
        ChannelFuture probing = bootstrap.clone().handler(new io.netty.channel.ChannelInboundHandlerAdapter()).connect(peer);
        probing.addListener(f -> {
            if (f.isSuccess()) {
                probing.channel().close();
            }
        });
        return probing;
    }

    /**
     * Starts connecting for {@code link}: through its relay if the peer is relayed, else from our listening port if
     * the peer is one we punch to, else plainly; a connection that cannot be made (or a relay that refuses the
     * circuit) is reported closed, on the loop, and the peer unreachable.
     */
    void dial(Link link) {
        Bootstrap dialing = bootstrap.clone();
        InetSocketAddress relay = relayed.get(link.peer());
        InetSocketAddress from = relay == null ? punched.get(link.peer()) : null;
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
                        if (relay != null) {
                            // The link starts once the relay joined us to the peer: end to end, through it.
                            ch.pipeline().addLast("relay", new RelayGreeting(RelayGreeting.End.GETTER,
                                    RelayWire.encode(new RelayRequest.Connect(link.peer())),
                                    () -> circuitOpened.accept(link),
                                    status -> loop.execute(() -> unreachable.accept(link.peer()))));
                        }
                        if (relay != null) {
                            LinkPipeline.installThroughRelay(ch.pipeline(), links, link.peer());
                        } else {
                            LinkPipeline.install(ch.pipeline(), links, Optional.of(link.peer()),
                                    Optional.of(() -> dial(link)));
                        }
                        WirePipeline.installReceiving(ch.pipeline(), frameBuffers,
                                links instanceof LinkSecurity.PlaintextForMeasurement, () -> events.awaitsChunks(link));
                        ch.pipeline().addLast("link", new PeerLink(link, events));
                    }
                })
                .connect(relay == null ? link.peer() : relay);
        current.accept(link, connecting.channel());
        if (relay == null) {
            // The dial goes on; whoever is told decides whether to try another way beside it.
            loop.schedule(() -> {
                if (!connecting.isDone()) {
                    stalled.accept(link.peer());
                }
            }, (from != null ? PUNCH_PATIENCE : DIAL_PATIENCE).toMillis(), TimeUnit.MILLISECONDS);
        }
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                // Usually on the loop; but a channel that could not even be created or registered (say, out of
                // file descriptors) completes its future on Netty's global executor, and our state is the loop's.
                loop.execute(() -> {
                    if (replaced.remove(connecting.channel())) {
                        return;
                    }
                    // The download reports what it means for it (its owner retries, and warns once per cause).
                    log.debug("cannot connect to {}: {}", link.peer(), f.cause().toString());
                    unreachable.accept(link.peer()); // first: the close may end the download
                    events.onClosed(link);
                });
            }
        });
    }
}
