package dev.kadshare.simulation.virtual;

import dev.kadshare.dht.node.DatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * An in-memory datagram network in virtual time. Host i lives at 10.x.y.z:6881 (z, y, x the bytes of
 * i + 1) and is never reused, so a datagram to a host that left is simply lost, as on the Internet.
 */
public final class VirtualNetwork {
    static final int PORT = 6881;

    private final VirtualClock clock;
    private final LatencyModel latency;
    private final double loss;
    private final RandomGenerator random;
    /** What a host does with a datagram: a node's {@code onDatagram}, or an adversary's. */
    @FunctionalInterface
    public interface Receiver {
        void onDatagram(InetSocketAddress from, byte[] datagram);
    }

    /** By host index; null once the host has left. */
    private final List<Receiver> hosts = new ArrayList<>();
    /** Bytes sent to and received from the watched addresses (e.g. a spoofed victim), by address. */
    private final Map<InetSocketAddress, long[]> watched = new HashMap<>();
    private long delivered;
    /** Datagrams delivered to each host, by host index (a few bytes per host, for spotting hot spots). */
    private int[] deliveredTo = new int[1024];

    public VirtualNetwork(VirtualClock clock, LatencyModel latency, double loss, RandomGenerator random) {
        this.clock = clock;
        this.latency = latency;
        this.loss = loss;
        this.random = random;
    }

    /** Reserves the next host index; the node is attached once it exists (it needs its transport first). */
    public int newHost() {
        if (hosts.size() == deliveredTo.length) {
            deliveredTo = Arrays.copyOf(deliveredTo, 2 * deliveredTo.length);
        }
        hosts.add(null);
        return hosts.size() - 1;
    }

    public void attach(int host, DhtNode node) {
        hosts.set(host, node::onDatagram);
    }

    public void attach(int host, Receiver receiver) {
        hosts.set(host, receiver);
    }

    /**
     * Counts from now on the bytes of every datagram sent to {@code address} ({@link #bytesTo}) and delivered from it
     * ({@link #bytesFrom}), spoofed or not.
     */
    public void watch(InetSocketAddress address) {
        watched.putIfAbsent(address, new long[2]);
    }

    public long bytesTo(InetSocketAddress address) {
        return watched.getOrDefault(address, new long[2])[0];
    }

    public long bytesFrom(InetSocketAddress address) {
        return watched.getOrDefault(address, new long[2])[1];
    }

    /**
     * A datagram from host {@code viaHost} that claims to come from {@code claimed}: an attacker spoofing its source,
     * as anyone can on a network without source address validation.
     */
    public void spoof(int viaHost, InetSocketAddress claimed, InetSocketAddress to, byte[] datagram) {
        send(viaHost, claimed, to, datagram);
    }

    public void detach(int host) {
        hosts.set(host, null);
    }

    public DatagramTransport transportOf(int host) {
        InetSocketAddress from = addressOf(host);
        return (to, datagram) -> send(host, from, to, datagram);
    }

    public static InetSocketAddress addressOf(int host) {
        int n = host + 1;
        try {
            // The low byte varies first in the second octet: up to 65,536 hosts each in a /24 of its own (two per /24
            // at 100,000), as on the internet, where the routing table's per-network limits see distinct networks.
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {10, (byte) n, (byte) (n >>> 8), (byte) (n >>> 16)}), PORT);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    /** Host index of an address, or -1 if it is not one of ours. */
    static int hostOf(InetSocketAddress address) {
        byte[] b = address.getAddress() == null ? new byte[0] : address.getAddress().getAddress();
        if (b.length != 4 || b[0] != 10 || address.getPort() != PORT) {
            return -1;
        }
        return (((b[3] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[1] & 0xFF)) - 1;
    }

    public long deliveredDatagrams() {
        return delivered;
    }

    /** Datagrams delivered to host {@code host} so far. */
    public int deliveredTo(int host) {
        return deliveredTo[host];
    }

    private void send(int fromHost, InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        if (!watched.isEmpty()) {
            long[] sentTo = watched.get(to);
            if (sentTo != null) {
                sentTo[0] += datagram.length;
            }
        }
        int toHost = hostOf(to);
        if (toHost < 0 || toHost >= hosts.size() || (loss > 0 && random.nextDouble() < loss)) {
            return;
        }
        clock.scheduleNanos(latency.nanos(fromHost, toHost), () -> {
            Receiver target = hosts.get(toHost);
            if (target != null) {
                long[] sentFrom = watched.isEmpty() ? null : watched.get(from);
                if (sentFrom != null) {
                    sentFrom[1] += datagram.length;
                }
                delivered++;
                deliveredTo[toHost]++;
                target.onDatagram(from, datagram);
            }
        });
    }
}
