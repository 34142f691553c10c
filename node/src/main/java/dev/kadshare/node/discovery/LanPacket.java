package dev.kadshare.node.discovery;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.util.List;
import java.util.Objects;

/**
 * One LAN discovery datagram (docs/PROTOCOL.md, "LAN discovery"): who sends it (node id, the port its DHT and
 * transfer server listen on), the content ids it is fetching, and the cookie of its run, by which a node knows its
 * own packets when the group loops them back.
 *
 * @param kind an announce, or a query that also asks every node that hears it to announce itself
 * @param cookie random per run of a node
 * @param port UDP (DHT) and TCP (transfer) port, 1-65535
 * @param fetching at most {@link #MAX_CONTENT_IDS} content ids, no duplicates
 */
public record LanPacket(Kind kind, long cookie, NodeId nodeId, int port, List<ContentId> fetching) {
    /** The content ids one packet names at most: 32 keep a packet at 1,073 bytes, under the 1,400 of any LAN's MTU. */
    public static final int MAX_CONTENT_IDS = 32;

    /** What a packet asks of its receivers. */
    public enum Kind {
        /** "I am here, fetching these." */
        ANNOUNCE(1),
        /** An announce that also asks the receivers to announce themselves (sent when a node starts). */
        QUERY(2);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    public LanPacket {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nodeId, "nodeId");
        fetching = List.copyOf(fetching);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (fetching.size() > MAX_CONTENT_IDS) {
            throw new IllegalArgumentException("at most " + MAX_CONTENT_IDS + " content ids, got " + fetching.size());
        }
        if (fetching.stream().distinct().count() != fetching.size()) {
            throw new IllegalArgumentException("content ids repeat");
        }
    }
}
