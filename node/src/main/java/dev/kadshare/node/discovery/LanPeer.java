package dev.kadshare.node.discovery;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A node heard on the LAN: its id, where it listens (the packet's source address with the port it names), the
 * interface it was heard on, what it said it fetches, and when it was last heard.
 */
public record LanPeer(NodeId nodeId, InetSocketAddress address, String interfaceName, List<ContentId> fetching,
        Instant lastSeen) {
    public LanPeer {
        fetching = List.copyOf(fetching);
    }
}
