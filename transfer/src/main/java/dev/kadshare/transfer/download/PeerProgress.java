package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;

/**
 * One peer of a download.
 *
 * @param bytesDownloaded chunk body bytes received from this peer, good or bad
 * @param badChunks chunks from this peer that failed verification
 * @param dropped true once the peer is banned from this download (bad chunk, bad manifest, protocol error)
 * @param nodeId the node id the peer gave in its HELLO ({@link PeerId#UNKNOWN} before that or if it gave none)
 * @param connected true while its connection is open and past HELLO
 */
public record PeerProgress(InetSocketAddress address, long bytesDownloaded, int badChunks, boolean dropped,
        PeerId nodeId, boolean connected) {
    public PeerProgress(InetSocketAddress address, long bytesDownloaded, int badChunks, boolean dropped) {
        this(address, bytesDownloaded, badChunks, dropped, PeerId.UNKNOWN, false);
    }
}
