package dev.kadshare.node;

import dev.kadshare.dht.reach.Reachability;
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
        ReachabilityStatus reachability,
        Map<String, Long> dht,
        PeerBans.Counts bans,
        Map<ConnectionDrop, Long> connectionDrops,
        List<ShareStatus> shares,
        List<TransferStatus> transfers) {

    /**
     * How others see this node: its {@code mapping} (UNKNOWN, OPEN, PORT_PRESERVING, SYMMETRIC), its external
     * address as observers report it ({@code ip:port}, the IP alone when the port varies, null while unknown) and
     * how many distinct observers that rests on.
     */
    public record ReachabilityStatus(String mapping, String externalAddress, int observers) {
        static ReachabilityStatus of(Reachability r) {
            return new ReachabilityStatus(r.mapping().name(), r.externalAddress().orElse(null), r.observers());
        }
    }

    /** One piece of content this node serves. */
    public record ShareStatus(String contentId, String name, long size, String path, String link, long bytesUploaded) {}
}
