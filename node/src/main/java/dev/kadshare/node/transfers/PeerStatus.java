package dev.kadshare.node.transfers;

/** One remote peer of a transfer, as shown by status. */
public record PeerStatus(String address, long bytesDownloaded, long bytesUploaded, int badChunks, boolean dropped) {}
