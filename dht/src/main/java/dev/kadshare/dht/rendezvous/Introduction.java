package dev.kadshare.dht.rendezvous;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A getter of {@code key} that cannot reach us, introduced by {@code storer} (a node holding our announcement): it
 * dials us now from {@code getter}, and we dial it back at the same moment to open a TCP path through both NATs.
 */
public record Introduction(NodeId key, InetSocketAddress getter, InetSocketAddress storer) {
    public Introduction {
        Objects.requireNonNull(key);
        Objects.requireNonNull(getter);
        Objects.requireNonNull(storer);
    }
}
