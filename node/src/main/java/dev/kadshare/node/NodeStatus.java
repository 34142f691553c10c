package dev.kadshare.node;

import dev.kadshare.dht.reach.Reachability;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.relay.RelayCaps;
import dev.kadshare.transfer.relay.RelayCircuits;
import dev.kadshare.transfer.relay.RelayStatus;
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
        List<TransferStatus> transfers,
        LanStatus lan,
        RelayServiceStatus relay) {

    /**
     * The relay this node runs for others: whether it is on ({@code --no-relay} turns it off) and offered now (the node
     * is publicly reachable), its caps, the circuits and waiting sharers it holds, what it carried, the circuits cut at
     * their byte cap and the requests refused by reason; and {@code circuitsToUs}, circuits relays opened to this node
     * as a sharer.
     */
    public record RelayServiceStatus(boolean enabled, boolean offered, int maxCircuits, int maxCircuitsPerHost,
            int maxReservationsPerHost, long bytesPerCircuit, long bytesPerSecondPerCircuit, int circuits,
            int reservations, long circuitsOpened, long bytesRelayed, long cutAtByteCap, Map<String, Long> refused,
            long circuitsToUs) {
        static RelayServiceStatus of(boolean offered, RelayCaps caps, RelayCircuits.Snapshot s, long circuitsToUs) {
            Map<String, Long> refused = new java.util.LinkedHashMap<>();
            for (RelayStatus status : RelayStatus.values()) {
                if (status != RelayStatus.ACCEPTED) {
                    refused.put(status.name(), s.refused().getOrDefault(status, 0L));
                }
            }
            return new RelayServiceStatus(true, offered, caps.maxCircuits(), caps.maxCircuitsPerHost(),
                    caps.maxReservationsPerHost(), caps.bytesPerCircuit(), caps.bytesPerSecondPerCircuit(),
                    s.circuits(), s.reservations(), s.circuitsOpened(), s.bytesRelayed(), s.cutAtByteCap(), refused,
                    circuitsToUs);
        }

        static RelayServiceStatus off(long circuitsToUs) {
            return new RelayServiceStatus(false, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), circuitsToUs);
        }
    }

    /**
     * LAN discovery: whether it runs, its group, the interfaces it runs on, the nodes heard on them and its counters
     * ({@code sent}, {@code received}, {@code own}, {@code dropped.<REASON>}).
     */
    public record LanStatus(boolean enabled, String group, List<String> interfaces, List<LanPeerStatus> peers,
            Map<String, Long> counters) {}

    /** A node heard on the LAN: its id, address, interface, how many content ids it fetches, seconds since heard. */
    public record LanPeerStatus(String nodeId, String address, String interfaceName, int fetching, long lastSeenSecondsAgo) {}

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

    /** One piece of content this node serves, with what it uploaded of it and how fast over the last seconds. */
    public record ShareStatus(String contentId, String name, long size, String path, String link, long bytesUploaded,
            long uploadRate) {}
}
