package dev.kadshare.node;

import dev.kadshare.node.transfers.PeerStatus;
import java.util.List;

/**
 * What {@code kadshare peers} shows: the routing table in brief, the peers of every transfer, and who each
 * shared content is being uploaded to.
 */
public record PeersStatus(int routingTableSize, List<ContentPeers> transfers, List<ContentPeers> shares) {
    /** The peers of one piece of content. */
    public record ContentPeers(String contentId, String name, List<PeerStatus> peers) {}
}
