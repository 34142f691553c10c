package dev.kadshare.dht.node;

import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** An in-memory UDP network in virtual time: every datagram arrives after a fixed latency, or not at all if nobody listens. */
final class MemoryNetwork {
    /** Whatever listens on an address: a node, or the outside of a {@link VirtualNat}. */
    @FunctionalInterface
    interface Receiver {
        void receive(InetSocketAddress from, byte[] datagram);
    }

    private final VirtualClock time;
    private final Duration latency;
    private final Map<InetSocketAddress, Receiver> receivers = new HashMap<>();

    MemoryNetwork(VirtualClock time, Duration latency) {
        this.time = time;
        this.latency = latency;
    }

    DatagramTransport transportFor(InetSocketAddress from) {
        return (to, datagram) -> time.schedule(latency, () -> {
            Receiver target = receivers.get(to);
            if (target != null) {
                target.receive(from, datagram.clone());
            }
        });
    }

    void attach(DhtNode node) {
        listen(node.localAddress(), node::onDatagram);
    }

    void listen(InetSocketAddress address, Receiver receiver) {
        receivers.put(address, receiver);
    }

    void detach(DhtNode node) {
        receivers.remove(node.localAddress());
    }
}
