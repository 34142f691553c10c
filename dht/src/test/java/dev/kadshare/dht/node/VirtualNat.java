package dev.kadshare.dht.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A NAT router on a {@link MemoryNetwork} for nodes on its inside: it rewrites their outbound datagrams' source to
 * an external endpoint on its one public IP, and lets in only replies from a destination an inside node has sent
 * to (what the kernel's masquerade does). Port-preserving keeps the inside port as the external one (one mapping
 * per inside endpoint); symmetric picks a fresh external port for every destination. One-to-one maps the public IP
 * onto the one inside host, ports kept, and lets everything in (a cloud VM's public address, its firewall open).
 */
final class VirtualNat {
    enum Kind { PORT_PRESERVING, SYMMETRIC, ONE_TO_ONE }

    private record Flow(InetSocketAddress inside, InetSocketAddress remote) {}

    private final MemoryNetwork network;
    private final InetAddress publicIp;
    private final Kind kind;
    private final Map<Flow, InetSocketAddress> external = new HashMap<>();
    private int nextPort = 30000;

    VirtualNat(MemoryNetwork network, InetAddress publicIp, Kind kind) {
        this.network = network;
        this.publicIp = publicIp;
        this.kind = kind;
    }

    /** The transport of the node at {@code inside} (a private address nobody outside can send to). */
    DatagramTransport transportFor(InetSocketAddress inside, MemoryNetwork.Receiver node) {
        if (kind == Kind.ONE_TO_ONE) {
            InetSocketAddress mapped = new InetSocketAddress(publicIp, inside.getPort());
            network.listen(mapped, node);
            return (to, datagram) -> network.transportFor(mapped).send(to, datagram);
        }
        return (to, datagram) -> {
            InetSocketAddress mapped = external.computeIfAbsent(new Flow(inside, to), flow -> open(flow, node));
            network.transportFor(mapped).send(to, datagram);
        };
    }

    private InetSocketAddress open(Flow flow, MemoryNetwork.Receiver node) {
        InetSocketAddress mapped = new InetSocketAddress(publicIp,
                kind == Kind.PORT_PRESERVING ? flow.inside().getPort() : nextPort++);
        network.listen(mapped, (from, datagram) -> {
            // Unsolicited inbound is dropped: only a remote this inside endpoint sent to through this mapping gets in.
            if (mapped.equals(external.get(new Flow(flow.inside(), from)))) {
                node.receive(from, datagram);
            }
        });
        return mapped;
    }
}
