package dev.kadshare.node.discovery;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network edge of {@link LocalDiscovery}: one UDP socket on the discovery port, joined to the group on every up,
 * multicast-capable, non-loopback interface with an IPv4 address (only the bound address's interface when the node is
 * bound to one address), sending out of each interface in turn with a TTL of 1, so no packet leaves the link. The
 * core runs on this edge's own event loop (NIO: multicast needs it, whatever transport the node uses); the interfaces
 * are looked at again every minute. What the core found is handed to a {@link Listener}.
 */
public final class LanMulticast implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LanMulticast.class);
    private static final Duration RESCAN = Duration.ofMinutes(1);

    /** Hears the nodes found; called on the discovery loop, so it must hand real work elsewhere. */
    public interface Listener {
        void found(LanPeer peer, boolean firstSeen);
    }

    /** What discovery sees: the interfaces it runs on, the nodes heard, its counters (see {@link LocalDiscovery#counters()}). */
    public record Status(List<String> interfaces, List<LanPeer> peers, Map<String, Long> counters) {
        public static final Status OFF = new Status(List.of(), List.of(), Map.of());
    }

    private final EventLoopGroup loop;
    private final LanSettings settings;
    private final InetAddress nodeBind;
    private final LocalDiscovery core;
    private final Listener listener;
    private final InstantSource clock;
    private final Map<String, NetworkInterface> joined = new LinkedHashMap<>();
    private volatile DatagramChannel channel;
    private ScheduledFuture<?> wake;
    private ScheduledFuture<?> rescan;
    private volatile Status status = Status.OFF;

    private LanMulticast(LanSettings settings, InetAddress nodeBind, LocalDiscovery core, Listener listener,
            InstantSource clock) {
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kadshare-lan", true),
                NioIoHandler.newFactory());
        this.settings = settings;
        this.nodeBind = nodeBind;
        this.core = core;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Binds the discovery port (shared with other nodes on this host) and starts discovering.
     *
     * @param nodeBind the address the node binds: the wildcard runs on every interface, one address on its interface only
     * @param port the node's DHT and transfer port, announced
     */
    public static LanMulticast start(LanSettings settings, InetAddress nodeBind, NodeId self, int port, Listener listener,
            InstantSource clock) throws IOException {
        LanMulticast lan = new LanMulticast(settings, nodeBind, new LocalDiscovery(self, port, new SecureRandom().nextLong()),
                listener, clock);
        try {
            lan.open();
        } catch (IOException | RuntimeException e) {
            lan.close();
            throw e;
        }
        return lan;
    }

    private void open() throws IOException {
        InetSocketAddress bind = new InetSocketAddress(settings.group().getPort());
        ChannelFuture bound = new Bootstrap().group(loop)
                .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.SO_REUSEADDR, true) // every node on this host listens on the one port
                .option(ChannelOption.IP_MULTICAST_TTL, 1) // the link only: routers never forward it
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false) // other nodes on this host hear us too
                .handler(new Inbound())
                .bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("LAN discovery cannot bind UDP port " + bind.getPort() + ": " + bound.cause(), bound.cause());
        }
        channel = (DatagramChannel) bound.channel();
        loop.execute(this::scanInterfaces);
        rescan = loop.scheduleAtFixedRate(this::scanInterfaces, RESCAN.toMillis(), RESCAN.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The content ids the node is fetching now; a new one is announced early. */
    public void fetching(List<ContentId> ids) {
        List<ContentId> copy = List.copyOf(ids);
        loop.execute(() -> apply(new DiscoveryEvent.FetchingChanged(clock.instant(), copy)));
    }

    public Status status() {
        return status;
    }

    private void scanInterfaces() {
        Map<String, NetworkInterface> up = new LinkedHashMap<>();
        List<LanInterface> lans = new ArrayList<>();
        for (NetworkInterface nic : candidates()) {
            List<LanInterface.Subnet> subnets = new ArrayList<>();
            for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                if (a.getAddress() instanceof Inet4Address) {
                    subnets.add(new LanInterface.Subnet(a.getAddress(), a.getNetworkPrefixLength()));
                }
            }
            boolean ours = nodeBind.isAnyLocalAddress() || subnets.stream().anyMatch(s -> s.address().equals(nodeBind));
            if (subnets.isEmpty() || !ours) {
                continue;
            }
            if (!joined.containsKey(nic.getName())) {
                // NIO joins at once, on this thread: the future is done when it returns.
                ChannelFuture join = channel.joinGroup(settings.group().getAddress(), nic, null);
                if (!join.isDone() || !join.isSuccess()) {
                    log.warn("LAN discovery cannot join {} on {}: {}", settings.group().getAddress(), nic.getName(),
                            String.valueOf(join.cause()));
                    continue;
                }
                log.info("LAN discovery on {} ({}), group {}", nic.getName(), subnets, settings.group());
            }
            up.put(nic.getName(), nic);
            lans.add(new LanInterface(nic.getName(), subnets));
        }
        for (Map.Entry<String, NetworkInterface> gone : joined.entrySet()) {
            if (!up.containsKey(gone.getKey())) {
                channel.leaveGroup(settings.group().getAddress(), gone.getValue(), null);
                log.info("LAN discovery: {} is gone", gone.getKey());
            }
        }
        joined.clear();
        joined.putAll(up);
        apply(new DiscoveryEvent.InterfacesChanged(clock.instant(), lans));
    }

    private static List<NetworkInterface> candidates() {
        List<NetworkInterface> usable = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && nic.supportsMulticast() && !nic.isLoopback()) {
                    usable.add(nic);
                }
            }
        } catch (SocketException e) {
            log.warn("LAN discovery cannot list the network interfaces: {}", e.toString());
        }
        return usable;
    }

    /** Runs the core on one event and carries out what it asks; on the discovery loop only. */
    private void apply(DiscoveryEvent event) {
        // A datagram may come in between the bind and the channel being noted: dropped, like any before we listen.
        if (channel == null || !channel.isOpen()) {
            return;
        }
        for (DiscoveryAction action : core.handle(event)) {
            if (action instanceof DiscoveryAction.Send send) {
                send(send);
            } else if (action instanceof DiscoveryAction.PeerFound found) {
                if (found.firstSeen()) {
                    log.info("LAN discovery: node {} at {} on {}", found.peer().nodeId(), found.peer().address(),
                            found.peer().interfaceName());
                }
                listener.found(found.peer(), found.firstSeen());
            } else if (action instanceof DiscoveryAction.WakeAt at) {
                if (wake != null) {
                    wake.cancel(false);
                }
                long delay = Math.max(0, Duration.between(clock.instant(), at.at()).toMillis());
                wake = loop.schedule(() -> apply(new DiscoveryEvent.Tick(clock.instant())), delay, TimeUnit.MILLISECONDS);
            }
        }
        status = new Status(List.copyOf(joined.keySet()), core.peers(), core.counters());
    }

    private void send(DiscoveryAction.Send send) {
        NetworkInterface nic = joined.get(send.interfaceName());
        if (nic == null) {
            return;
        }
        // One socket for every interface: the outgoing interface is set before each packet, which leaves at once
        // (a datagram socket has no backlog worth the name here: a packet a minute).
        channel.config().setNetworkInterface(nic);
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(send.packet()), settings.group()))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.debug("LAN discovery: sending on {} failed: {}", send.interfaceName(), f.cause().toString());
                    }
                });
    }

    /** Hands datagrams to the core; copies at most one byte past the largest packet, enough to see it is too long. */
    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            byte[] data = new byte[Math.min(content.readableBytes(), LanPacketCodec.MAX_BYTES + 1)];
            content.getBytes(content.readerIndex(), data);
            apply(new DiscoveryEvent.Received(clock.instant(), packet.sender(), data));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("LAN discovery channel error", cause);
        }
    }

    @Override
    public void close() {
        if (rescan != null) {
            rescan.cancel(false);
        }
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

}
