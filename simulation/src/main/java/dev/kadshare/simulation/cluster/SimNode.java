package dev.kadshare.simulation.cluster;

import dev.kadshare.dht.DhtOperations;
import java.net.InetSocketAddress;

/**
 * One simulated node: its DHT (the thread-safe {@code Dht} on loopback, the core itself in virtual mode, called
 * through {@link Cluster#call} either way) and its address.
 */
public record SimNode(int id, DhtOperations dht, InetSocketAddress address) {
}
