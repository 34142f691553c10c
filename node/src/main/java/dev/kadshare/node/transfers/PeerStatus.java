package dev.kadshare.node.transfers;

import dev.kadshare.node.link.HostPort;
import dev.kadshare.transfer.PeerRoute;
import dev.kadshare.transfer.PeerUpload;
import dev.kadshare.transfer.content.PeerId;

/**
 * One remote peer of a transfer, as shown by status: one node, whatever connections carried the bytes
 * each way, when it gave its node id.
 *
 * @param address where we reach it (or its latest connection to us, for a peer we only upload to)
 * @param nodeId its node id in hex, null when it gave none
 * @param connection how the connection was made: {@link #DIRECT} (dialled, or accepted), {@link #PUNCHED} (dialled
 *     from our listening port after a rendezvous introduced us, while the peer dialled us: hole punching),
 *     {@link #RELAYED} (through a relay both connected to; the link is still end to end)
 */
public record PeerStatus(String address, long bytesDownloaded, long bytesUploaded, int badChunks, boolean dropped,
        String nodeId, String connection) {
    public static final String DIRECT = "direct";
    public static final String PUNCHED = "direct, punched";
    public static final String RELAYED = "relayed";

    /** How status says {@code route}. */
    public static String connectionOf(PeerRoute route) {
        return switch (route) {
            case DIRECT -> DIRECT;
            case PUNCHED -> PUNCHED;
            case RELAYED -> RELAYED;
        };
    }

    public static String nodeIdOf(PeerId id) {
        return id.isKnown() ? id.toHex() : null;
    }

    /** A peer we only upload to, over a connection made as {@code route} says. */
    public static PeerStatus uploadedTo(PeerUpload upload, PeerRoute route) {
        return new PeerStatus(HostPort.format(upload.address()), 0, upload.bytesUploaded(), 0, false,
                nodeIdOf(upload.nodeId()), connectionOf(route));
    }

    /** This peer with {@code bytes} more uploaded to it. */
    public PeerStatus plusUploaded(long bytes) {
        return new PeerStatus(address, bytesDownloaded, bytesUploaded + bytes, badChunks, dropped, nodeId, connection);
    }
}
