package dev.kadshare.transfer;

import java.net.InetSocketAddress;

/** What a server has uploaded to one connected peer (named by the peer's connection address). */
public record PeerUpload(InetSocketAddress address, long bytesUploaded) {
}
