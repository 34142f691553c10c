package dev.kadshare.node;

import dev.kadshare.node.transfers.PeerStatus;
import java.util.List;

/** What {@code kadshare peers} shows: the routing table in brief and the peers of every transfer. */
public record PeersStatus(int routingTableSize, List<TransferPeers> transfers) {
    /** The peers of one transfer. */
    public record TransferPeers(String contentId, String name, List<PeerStatus> peers) {}
}
