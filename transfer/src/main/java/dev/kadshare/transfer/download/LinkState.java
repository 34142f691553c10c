package dev.kadshare.transfer.download;

/**
 * Where a download's link to one peer stands. CANDIDATE: known, waiting for a free connection
 * ({@link DownloadOptions#maxPeers}); SELF: the peer is this node (same node id in HELLO), never dialled again,
 * but not banned either.
 */
enum LinkState { CANDIDATE, CONNECTING, READY, CLOSED, DROPPED, SELF }
