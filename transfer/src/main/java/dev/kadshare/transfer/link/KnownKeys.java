package dev.kadshare.transfer.link;

import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this node learned of the nodes at addresses it dialled: the node id each proved and its Noise static key,
 * bounded (least recently used go first), thread-safe, shared by a node's downloads. A known static key makes the
 * next dial use IK (one round trip less); a known node id is what a dial there expects. Only completed handshakes
 * fill it: the keys the DHT names are unproven and stay {@link KeyHints} until a handshake proves one.
 */
public final class KnownKeys {
    /** What is known of one address: the node id proven there and, unless an IK attempt failed, its static key. */
    public record Known(PeerId nodeId, Optional<byte[]> staticKey) {
    }

    private final Map<InetSocketAddress, Known> byAddress;

    public KnownKeys(int capacity) {
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Known> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Optional<Known> at(InetSocketAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /** A handshake at {@code address} proved {@code peer}. */
    public synchronized void proven(InetSocketAddress address, ProvenPeer peer) {
        byAddress.put(address, new Known(peer.nodeId(), Optional.of(peer.staticKey())));
    }

    /** An IK attempt at {@code address} failed: the next dial uses XX, still expecting the same node id. */
    public synchronized void forgetKey(InetSocketAddress address) {
        byAddress.computeIfPresent(address, (a, k) -> new Known(k.nodeId(), Optional.empty()));
    }

    /** Another node answered at {@code address} (refused and counted): expect nothing there any more. */
    public synchronized void forget(InetSocketAddress address) {
        byAddress.remove(address);
    }

    public synchronized int size() {
        return byAddress.size();
    }
}
