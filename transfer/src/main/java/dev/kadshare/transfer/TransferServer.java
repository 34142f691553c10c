package dev.kadshare.transfer;

import dev.kadshare.net.MonotonicClock;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.netty.ServingOptions;
import dev.kadshare.transfer.netty.AcceptGate;
import dev.kadshare.transfer.netty.ConnectionGuards;
import dev.kadshare.transfer.netty.IdleClose;
import dev.kadshare.transfer.netty.LinkPipeline;
import dev.kadshare.transfer.netty.RelayDemux;
import dev.kadshare.transfer.netty.RelayService;
import dev.kadshare.transfer.netty.Relaying;
import dev.kadshare.transfer.netty.ServeWhenConnected;
import dev.kadshare.transfer.netty.ServerSession;
import dev.kadshare.transfer.netty.ServingHubs;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.net.Transport;
import dev.kadshare.transfer.netty.WirePipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;

/**
 * Serves content to downloading peers over TCP, on an NIO or an epoll event loop group ({@link Transport}): each
 * connection a {@link ServerSession}, each content one hub ({@link ServingHubs}) that all its sessions share. It holds
 * strangers to its {@link ConnectionLimits}: a connection beyond the cap in total or per IP address is closed on
 * accept, one beyond the cap per content is told GOODBYE, one that says no HELLO in time, stays idle, or asks without
 * reading past its outbound budget is closed; each counted in its {@link ConnectionDrops}.
 */
public final class TransferServer implements AutoCloseable {
    /** One punch attempt: the kernel retransmits a dropped SYN at 1, 3 and 7 s within it. */
    private static final int PUNCH_TIMEOUT_MILLIS = 10_000;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final Uploads uploads;
    private final ServingHubs hubs;
    private final ConnectionGuards guards;

    /** Serving connections opened from our side (hole punching) use the listener's options and pipeline. */
    private final Bootstrap punching;
    /** Connections punched from our side that completed, for status. */
    private final AtomicLong punchedConnections = new AtomicLong();
    /** This node's relay, if it offers one: the listener hands relay requests to it. */
    private final AtomicReference<Optional<RelayService>> relay;
    /** Our side of relayed circuits: waiting at relays for getters, as a sharer behind a NAT. */
    private final Relaying relaying;
    /** How the latest connections from each remote address were made (punched, relayed), for status; bounded. */
    private final Cache<InetSocketAddress, PeerRoute> routes = CacheBuilder.newBuilder().maximumSize(4096).build();

    private TransferServer(Channel serverChannel, ChannelGroup connections, Uploads uploads, ServingHubs hubs,
            ConnectionGuards guards, Bootstrap punching, AtomicReference<Optional<RelayService>> relay,
            ChannelInitializer<SocketChannel> serving) {
        this.punching = punching;
        this.relay = relay;
        this.relaying = new Relaying(punching.config().group(), Transport.of(punching.config().group()), serving,
                connections, remote -> routes.put(remote, PeerRoute.RELAYED));
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.uploads = uploads;
        this.hubs = hubs;
        this.guards = guards;
    }

    /**
     * Binds TCP; throws java.net.BindException (an IOException) when the port is taken. Blocks until
     * bound, so do not call it from an event loop.
     */
    public static TransferServer start(InetSocketAddress bind, ContentSource source, EventLoopGroup group)
            throws IOException {
        return start(bind, source, group, TransferLimits.defaults());
    }

    /**
     * As {@link #start(InetSocketAddress, ContentSource, EventLoopGroup)}, with upload limits and slots; its links
     * are encrypted as a fresh identity nobody knows (a node gives its own, below).
     */
    public static TransferServer start(InetSocketAddress bind, ContentSource source, EventLoopGroup group,
            TransferLimits limits) throws IOException {
        return start(bind, source, group, limits, LinkSecurity.ephemeral());
    }

    /**
     * As {@link #start(InetSocketAddress, ContentSource, EventLoopGroup, TransferLimits)}: every connection first
     * proves who is at each end with the link handshake as {@code links} says (a node passes its identity).
     */
    public static TransferServer start(InetSocketAddress bind, ContentSource source, EventLoopGroup group,
            TransferLimits limits, LinkSecurity links) throws IOException {
        return start(bind, source, group, limits, links, ConnectionLimits.defaults(), new ConnectionDrops());
    }

    /**
     * As {@link #start(InetSocketAddress, ContentSource, EventLoopGroup, TransferLimits, LinkSecurity)}, holding
     * strangers to {@code connectionLimits} and counting what it refuses and closes in {@code drops} (a node shares
     * one between its links, its server and its downloads).
     */
    public static TransferServer start(InetSocketAddress bind, ContentSource source, EventLoopGroup group,
            TransferLimits limits, LinkSecurity links, ConnectionLimits connectionLimits, ConnectionDrops drops)
            throws IOException {
        return start(bind, source, group, limits, links, connectionLimits, drops, new PeerBans());
    }

    /**
     * As {@link #start(InetSocketAddress, ContentSource, EventLoopGroup, TransferLimits, LinkSecurity,
     * ConnectionLimits, ConnectionDrops)}, refusing the peers in {@code bans} (the node's, which its downloads fill):
     * a peer caught sending bad data is served nothing either.
     */
    public static TransferServer start(InetSocketAddress bind, ContentSource source, EventLoopGroup group,
            TransferLimits limits, LinkSecurity links, ConnectionLimits connectionLimits, ConnectionDrops drops,
            PeerBans bans) throws IOException {
        ConnectionGuards guards = ConnectionGuards.of(connectionLimits, drops, bans);
        Uploads uploads = new Uploads();
        // Real time on the buckets' base: the edge hands it to the hubs.
        ServingHubs hubs = new ServingHubs(limits, uploads, MonotonicClock.INSTANCE, source::changed);
        ChannelGroup connections = new DefaultChannelGroup(group.next());
        AtomicReference<Optional<RelayService>> relay = new AtomicReference<>(Optional.empty());
        ChannelInitializer<SocketChannel> serving = new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (!admitted(ch, guards)) {
                    return;
                }
                connections.add(ch);
                // First, so it sees every byte either way (a link handshake's too).
                ch.pipeline().addLast("idle", new IdleClose(connectionLimits.idleTimeout(), drops));
                // A swarm sends every peer a HAVE per chunk, each flushed on its own: consolidated, a burst of
                // them costs one write syscall rather than one each.
                ch.pipeline().addLast("flushes", new FlushConsolidationHandler(
                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                // The serving side of the link (its responder), also on a connection we punched or a relayed one:
                // whoever dialled. A relay request instead goes to our relay, if we offer one.
                ch.pipeline().addLast("demux", new RelayDemux(relay::get));
                LinkPipeline.install(ch.pipeline(), links, Optional.empty());
                WirePipeline.install(ch.pipeline());
                ch.pipeline().addLast("session", new ServerSession(source, hubs, guards));
            }
        };
        Transport transport = Transport.of(group);
        ServerBootstrap bootstrap = ServingOptions.onChildren(new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                // So that a connection can be dialled from this very port (hole punching) while it listens.
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(transport.reusePort(), true))
                .handler(new AcceptGate(guards, MonotonicClock.INSTANCE::nanos))
                .childHandler(serving);
        refuseIfTaken(bind);
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw Transport.bindFailure(bind, bound.cause());
        }
        Bootstrap punching = ServingOptions.on(new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .localAddress((InetSocketAddress) bound.channel().localAddress())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, PUNCH_TIMEOUT_MILLIS))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws IOException {
                        Transport.sharePort(ch); // registered, not yet bound: the connect binds it to our port
                        ch.pipeline().addLast("punched", new ServeWhenConnected(serving));
                    }
                });
        return new TransferServer(bound.channel(), connections, uploads, hubs, guards, punching, relay, serving);
    }

    /**
     * The listener sets {@code SO_REUSEPORT} so that our own punching sockets can dial from its port; that would let
     * a second listener of the same user bind the port too, and share its connections. A probe without it finds a
     * port that is taken first (a port 0 is always a free one).
     */
    private static void refuseIfTaken(InetSocketAddress bind) throws IOException {
        if (bind.getPort() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(bind);
        }
    }

    /**
     * Counts {@code ch} against the caps in total and per IP address, to be released when it closes; or, beyond one,
     * closes it at once with a reset (no TIME_WAIT left here by a flood) and counts why.
     */
    private static boolean admitted(SocketChannel ch, ConnectionGuards guards) {
        InetAddress ip = ch.remoteAddress().getAddress();
        Optional<ConnectionDrop> refused = guards.caps().admit(ip);
        if (refused.isPresent()) {
            guards.drops().record(refused.get());
            ch.config().setSoLinger(0);
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(closed -> guards.caps().release(ip));
        return true;
    }

    /**
     * Hole punching, the sharer's side: dials {@code getter} (introduced by a rendezvous: it dials us at the same
     * moment) from our listening port, up to {@code attempts} times, and serves on the connection as if it had been
     * accepted (the link's responder and the transfer's server, whichever side TCP thinks dialled). Completes with
     * whether a connection was made.
     */
    public CompletableFuture<Boolean> punch(InetSocketAddress getter, int attempts) {
        CompletableFuture<Boolean> made = new CompletableFuture<>();
        punchAttempt(getter, attempts, made);
        return made;
    }

    private void punchAttempt(InetSocketAddress getter, int attemptsLeft, CompletableFuture<Boolean> made) {
        punching.connect(getter).addListener(f -> {
            if (f.isSuccess()) {
                punchedConnections.incrementAndGet();
                routes.put(getter, PeerRoute.PUNCHED);
                made.complete(true);
            } else if (attemptsLeft > 1 && serverChannel.isOpen()) {
                punchAttempt(getter, attemptsLeft - 1, made);
            } else {
                made.complete(false);
            }
        });
    }

    /** Connections this server punched (dialled from its port to an introduced getter) that were made. */
    public long punchedConnections() {
        return punchedConnections.get();
    }

    /**
     * Relays for others from now on: relay requests on our port go to {@code service} (without one they are refused
     * as not offered).
     */
    public void offerRelay(RelayService service) {
        relay.set(Optional.of(service));
    }

    /** This node's relay, if it offers one. */
    public Optional<RelayService> relay() {
        return relay.get();
    }

    /**
     * As a sharer behind a NAT: waits at {@code relayAddress} (a relay, by its transfer port) for a getter, reserved under
     * our {@code announcedPort}, and serves the getter on the circuit once the relay opens one; then waits there again
     * for the next. At most one waiting connection per relay.
     */
    public void reserveAt(InetSocketAddress relayAddress, int announcedPort) {
        if (serverChannel.isOpen()) {
            relaying.reserveAt(relayAddress, announcedPort);
        }
    }

    /** Circuits opened to us at relays, as a sharer. */
    public long relayedConnections() {
        return relaying.circuitsOpened();
    }

    /** How the latest connection from {@code remote} was made: punched or relayed, else direct. */
    public PeerRoute routeOf(InetSocketAddress remote) {
        PeerRoute route = routes.getIfPresent(remote);
        return route == null ? PeerRoute.DIRECT : route;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Connections refused or closed by this server, by reason (the one it was given, if any). */
    public ConnectionDrops drops() {
        return guards.drops();
    }

    /** Connections open now (admitted, not yet closed). */
    public int openConnections() {
        return guards.caps().open();
    }

    /**
     * Bytes queued at this server for its open connections: in their outbound buffers, control messages kept back for
     * writability and, on encrypted links, what waits to be sealed (chunks as file regions included: an open file, not
     * memory, until sealed).
     */
    public long queuedOutboundBytes() {
        long total = 0;
        for (Channel ch : connections) {
            io.netty.channel.ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
            total += buffer == null ? 0 : buffer.totalPendingWriteBytes();
            ServerSession session = ch.pipeline().get(ServerSession.class);
            total += session == null ? 0 : session.keptBackBytes();
        }
        return total;
    }

    /** Bytes uploaded per content and peer since start. */
    public Uploads uploads() {
        return uploads;
    }

    /**
     * Serve {@code id}, which this node holds complete and nobody else does yet (it just shared it), by initial
     * seeding: each chunk is revealed to one connection at a time, so no chunk goes out twice before every chunk
     * went out once.
     */
    public void seedInitially(ContentId id) {
        hubs.seedInitially(id);
    }

    /**
     * {@code id}'s files were stamped as {@code stamps} (taken into the library: shared, or a download complete): its
     * hub, if it has one, checks them from now on, for the sessions it already serves too.
     */
    public void stamped(ContentId id, ContentStamps stamps) {
        hubs.stamped(id, stamps);
    }

    /** Stops accepting and closes every open connection; blocks until closed, so not from an event loop. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
    }
}
