package dev.kadshare.node;

import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.discovery.LanSettings;
import dev.kadshare.node.relay.RelaySettings;
import dev.kadshare.transfer.ConnectionLimits;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * How to run a node: its data dir, the address its DHT (UDP) and transfer server (TCP) bind (one port number
 * for both; 0 picks a free one), the seeds to bootstrap from (none starts a new network, or rejoins through
 * the saved routing table), its rate limits, and what its transfer server lets strangers hold (connection caps,
 * timeouts, outbound budget), whether it runs LAN discovery (off unless given), whether it relays for others
 * once publicly reachable (on unless turned off), and the addresses it is reached at without having them, at most
 * one per family (a host behind a one-to-one NAT, as its operator says; none by default).
 */
public record NodeConfig(DataDir dataDir, InetSocketAddress bind, List<InetSocketAddress> bootstrap, RateLimits limits,
        ConnectionLimits connections, LanSettings lan, RelaySettings relay, List<InetAddress> externalAddresses) {
    public static final int DEFAULT_PORT = 7700;

    public NodeConfig {
        bootstrap = List.copyOf(bootstrap);
        externalAddresses = onePerFamily(externalAddresses);
        java.util.Objects.requireNonNull(connections, "connections");
        java.util.Objects.requireNonNull(lan, "lan");
        java.util.Objects.requireNonNull(relay, "relay");
    }

    /** No external address. */
    public NodeConfig(DataDir dataDir, InetSocketAddress bind, List<InetSocketAddress> bootstrap, RateLimits limits,
            ConnectionLimits connections, LanSettings lan, RelaySettings relay) {
        this(dataDir, bind, bootstrap, limits, connections, lan, relay, List.of());
    }

    /** A copy of {@code addresses}, which must hold at most one of each family (IPv4, IPv6). */
    public static List<InetAddress> onePerFamily(List<InetAddress> addresses) {
        for (boolean ipv6 : new boolean[] {false, true}) {
            if (addresses.stream().filter(a -> (a instanceof Inet6Address) == ipv6).count() > 1) {
                throw new IllegalArgumentException("one external address per family (IPv4, IPv6), got "
                        + addresses.stream().map(InetAddress::getHostAddress).toList());
            }
        }
        return List.copyOf(addresses);
    }

    /** The external address of the family of IPv6 ({@code ipv6}) or IPv4, if one was given. */
    public Optional<InetAddress> externalAddress(boolean ipv6) {
        return externalAddresses.stream().filter(a -> (a instanceof Inet6Address) == ipv6).findFirst();
    }

    /** Relaying as by default. */
    public NodeConfig(DataDir dataDir, InetSocketAddress bind, List<InetSocketAddress> bootstrap, RateLimits limits,
            ConnectionLimits connections, LanSettings lan) {
        this(dataDir, bind, bootstrap, limits, connections, lan, RelaySettings.DEFAULT);
    }

    /** Without LAN discovery: nodes built in-process (tests, the demo, the simulation) send nothing to the LAN. */
    public NodeConfig(DataDir dataDir, InetSocketAddress bind, List<InetSocketAddress> bootstrap, RateLimits limits,
            ConnectionLimits connections) {
        this(dataDir, bind, bootstrap, limits, connections, LanSettings.OFF);
    }

    /** With the default {@link ConnectionLimits}. */
    public NodeConfig(DataDir dataDir, InetSocketAddress bind, List<InetSocketAddress> bootstrap, RateLimits limits) {
        this(dataDir, bind, bootstrap, limits, ConnectionLimits.defaults());
    }

    /** Node-wide transfer rate limits in bytes per second; 0 means unlimited. */
    public record RateLimits(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        public static final RateLimits UNLIMITED = new RateLimits(0, 0);

        public RateLimits {
            if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
                throw new IllegalArgumentException("rate limits must not be negative");
            }
        }
    }
}
