package dev.kadshare.dht.node;

import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** An in-memory UDP network in virtual time: every datagram arrives after a fixed latency, or not at all if nobody listens. */
final class MemoryNetwork {
    private final VirtualClock time;
    private final Duration latency;
    private final Map<InetSocketAddress, DhtNode> nodes = new HashMap<>();

    MemoryNetwork(VirtualClock time, Duration latency) {
        this.time = time;
        this.latency = latency;
    }

    DatagramTransport transportFor(InetSocketAddress from) {
        return (to, datagram) -> time.schedule(latency, () -> {
            DhtNode target = nodes.get(to);
            if (target != null) {
                target.onDatagram(from, datagram.clone());
            }
        });
    }

    void attach(DhtNode node) {
        nodes.put(node.localAddress(), node);
    }

    void detach(DhtNode node) {
        nodes.remove(node.localAddress());
    }
}
