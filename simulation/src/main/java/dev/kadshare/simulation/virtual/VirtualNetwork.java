package dev.kadshare.simulation.virtual;

import dev.kadshare.dht.node.DatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.simulation.nat.NatBox;
import dev.kadshare.simulation.nat.NatKind;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An in-memory datagram network in virtual time. Host i lives at 10.x.y.z:6881 (z, y, x the bytes of
 * i + 1) and is never reused, so a datagram to a host that left is simply lost, as on the Internet. A host may sit
 * behind a NAT router ({@link NatBox}) that owns that public address: the host itself is bound to {@link #HOME}, the
 * same private address in every home, and is seen from outside at its router's address and mapped port; what comes
 * in unasked is dropped at the router. TCP is modelled only as far as NATs decide it: whether a connection attempt
 * (one SYN each way for a simultaneous open) gets through.
 */
public final class VirtualNetwork {
    static final int PORT = 6881;
    /** Where every host behind a NAT is bound: the same LAN address in each home, as routers hand out. */
    public static final InetSocketAddress HOME = new InetSocketAddress(homeAddress(), PORT);

    private final VirtualClock clock;
    private final LatencyModel latency;
    private final double loss;
    private final RandomGenerator random;
    /** What a host does with a datagram: a node's {@code onDatagram}, or an adversary's. */
    @FunctionalInterface
    public interface Receiver {
        void onDatagram(InetSocketAddress from, byte[] datagram);
    }

    /** Told of each datagram as it leaves for a host, before it arrives: what its receiver will need can be readied. */
    @FunctionalInterface
    public interface Departures {
        void leaving(int toHost, byte[] datagram);
    }

    private Departures departures = (toHost, datagram) -> { };

    /** By host index; null once the host has left. */
    private final List<Receiver> hosts = new ArrayList<>();
    /** By host index: its router, or null for a host on a public address. */
    private final List<NatBox> routers = new ArrayList<>();
    private long droppedAtNat;
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
        return newHost(NatKind.OPEN);
    }

    /** Reserves the next host index, behind a NAT of {@code kind} unless it is open. */
    public int newHost(NatKind kind) {
        if (hosts.size() == deliveredTo.length) {
            deliveredTo = Arrays.copyOf(deliveredTo, 2 * deliveredTo.length);
        }
        hosts.add(null);
        routers.add(kind == NatKind.OPEN ? null : new NatBox(kind, new SplittableRandom(random.nextLong())));
        return hosts.size() - 1;
    }

    /** The address the host's socket is bound to: its public one, or {@link #HOME} behind a NAT. */
    public InetSocketAddress boundAddressOf(int host) {
        return routers.get(host) == null ? addressOf(host) : HOME;
    }

    public void attach(int host, DhtNode node) {
        hosts.set(host, node::onDatagram);
    }

    public void attach(int host, Receiver receiver) {
        hosts.set(host, receiver);
    }

    /** {@code listener} is told of every datagram that will be delivered from now on. */
    public void onDepartures(Departures listener) {
        this.departures = listener;
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
        InetSocketAddress address = addressOf(host);
        if (routers.get(host) == null) {
            // An open host's datagrams come from one address: made once, not per datagram.
            return (to, datagram) -> send(host, address, to, datagram);
        }
        return (to, datagram) -> send(host, sourceSeen(host, NatBox.Protocol.UDP, PORT, to), to, datagram);
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

    /** Host index of a public IP, whatever the port (a router's mapped ports vary), or -1 if it is not one of ours. */
    static int hostOf(InetSocketAddress address) {
        byte[] b = address.getAddress() == null ? new byte[0] : address.getAddress().getAddress();
        if (b.length != 4 || b[0] != 10) {
            return -1;
        }
        return (((b[3] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[1] & 0xFF)) - 1;
    }

    /** Datagrams and connection attempts that routers dropped as unasked. */
    public long droppedAtNat() {
        return droppedAtNat;
    }

    /**
     * Whether a TCP connection from {@code host}'s {@code localPort} to {@code to} gets through: the target is open and
     * listens there, or its router has a flow from exactly this source (a punch it made).
     */
    public boolean connects(int host, int localPort, InetSocketAddress to) {
        return arrives(to, sourceSeen(host, NatBox.Protocol.TCP, localPort, to), NatBox.Protocol.TCP);
    }

    /**
     * A simultaneous open (hole punching): each of {@code a} and {@code b} sends a SYN from its listening port to the
     * endpoint it was told of the other, both before either arrives. One SYN through is a connection: it reaches a
     * socket in SYN_SENT whose own SYN made the router's flow that the answers follow.
     */
    public boolean punches(int a, InetSocketAddress aTarget, int b, InetSocketAddress bTarget) {
        InetSocketAddress fromA = sourceSeen(a, NatBox.Protocol.TCP, PORT, aTarget);
        InetSocketAddress fromB = sourceSeen(b, NatBox.Protocol.TCP, PORT, bTarget);
        boolean aToB = arrives(aTarget, fromA, NatBox.Protocol.TCP);
        boolean bToA = arrives(bTarget, fromB, NatBox.Protocol.TCP);
        return aToB || bToA;
    }

    public long deliveredDatagrams() {
        return delivered;
    }

    /** Datagrams delivered to host {@code host} so far. */
    public int deliveredTo(int host) {
        return deliveredTo[host];
    }

    /** A datagram that seems to come from {@code from} once on the internet (spoofed ones included). */
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
        departures.leaving(toHost, datagram);
        clock.scheduleNanos(latency.nanos(fromHost, toHost), () -> {
            Receiver target = hosts.get(toHost);
            if (target != null && arrives(to, from, NatBox.Protocol.UDP)) {
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

    /** Where a packet from {@code host}'s {@code localPort} to {@code to} seems to come from once past its router. */
    private InetSocketAddress sourceSeen(int host, NatBox.Protocol protocol, int localPort, InetSocketAddress to) {
        NatBox router = routers.get(host);
        if (router == null) {
            return new InetSocketAddress(addressOf(host).getAddress(), localPort);
        }
        return new InetSocketAddress(addressOf(host).getAddress(), router.outbound(protocol, localPort, to, clock.nanos()));
    }

    /** Whether a packet from {@code from} to {@code to} reaches a host: an open one listening there, or through its router. */
    private boolean arrives(InetSocketAddress to, InetSocketAddress from, NatBox.Protocol protocol) {
        int toHost = hostOf(to);
        if (toHost < 0 || toHost >= hosts.size()) {
            return false;
        }
        NatBox router = routers.get(toHost);
        if (router == null) {
            return to.getPort() == PORT;
        }
        boolean in = router.admits(protocol, to.getPort(), from, clock.nanos());
        if (!in) {
            droppedAtNat++;
        }
        return in;
    }

    private static InetAddress homeAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, 2});
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }
}
