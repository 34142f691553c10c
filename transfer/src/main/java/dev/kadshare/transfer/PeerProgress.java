package dev.kadshare.transfer;

import java.net.InetSocketAddress;

/**
 * One peer of a download.
 *
 * @param bytesDownloaded chunk body bytes received from this peer, good or bad
 * @param badChunks chunks from this peer that failed verification
 * @param dropped true once the peer is banned from this download (bad chunk, bad manifest, protocol error)
 */
public record PeerProgress(InetSocketAddress address, long bytesDownloaded, int badChunks, boolean dropped) {
}
