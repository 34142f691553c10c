package dev.kadshare.transfer;

import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;

/**
 * What a server has uploaded to one peer: to one node, across its connections, when the peer gave its node
 * id in HELLO; else to one connection address.
 *
 * @param address the address of the peer's latest connection
 * @param nodeId the node id the peer gave, or {@link PeerId#UNKNOWN}
 */
public record PeerUpload(InetSocketAddress address, PeerId nodeId, long bytesUploaded) {
}
