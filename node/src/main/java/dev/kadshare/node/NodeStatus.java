package dev.kadshare.node;

import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.peers.PeerBans;
import java.util.List;
import java.util.Map;

/** The node and everything it does, as {@code kadshare status --json} prints it. */
public record NodeStatus(
        String nodeId,
        int dhtPort,
        int transferPort,
        int routingTableSize,
        Map<String, Long> dht,
        PeerBans.Counts bans,
        Map<ConnectionDrop, Long> connectionDrops,
        List<ShareStatus> shares,
        List<TransferStatus> transfers) {

    /** One piece of content this node serves. */
    public record ShareStatus(String contentId, String name, long size, String path, String link, long bytesUploaded) {}
}
