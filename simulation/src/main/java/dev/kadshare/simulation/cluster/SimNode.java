package dev.kadshare.simulation.cluster;

import dev.kadshare.dht.node.DhtNode;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/** One simulated node: its DHT core, its address, and the executor its core must be called on. */
public record SimNode(int id, DhtNode dht, InetSocketAddress address, Executor thread) {
}
