package dev.kadshare.simulation.scenario;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.simulation.cluster.SimNode;

/** A content key and the node that holds it (and announces it). */
public record KeyHolder(NodeId key, SimNode holder) {
}
