package dev.kadshare.transfer;

import dev.kadshare.transfer.content.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How one download runs. {@link #defaults()} suits a daemon; pass a bounded worker pool as {@code hashing}
 * to keep SHA-256 off the event loop (results come back to the loop).
 *
 * @param hashing where received chunks are hashed; {@code Runnable::run} hashes on the event loop
 * @param maxInFlightPerPeer requests outstanding per peer, enough to keep a connection full
 * @param idleTimeout a peer that owes us data and sends nothing for this long is closed
 * @param requestTimeout a chunk requested this long ago and not yet received is asked of another peer
 * @param rateLimits every received chunk is taken from each of these (e.g. the node's download bucket and
 *     one of this transfer); a connection stops reading while any is in debt
 * @param nodeId this node's id, sent in HELLO; a peer answering with the same id is this node itself
 * @param maxPeers connections open (or opening) at once; further peers wait their turn
 * @param listenPort the TCP port this node serves on, sent in HELLO so servers tell other peers of it; 0 = none
 */
public record DownloadOptions(Executor hashing, int maxInFlightPerPeer, Duration idleTimeout, Duration requestTimeout,
        List<TokenBucket> rateLimits, PeerId nodeId, int listenPort, int maxPeers) {
    public DownloadOptions {
        Objects.requireNonNull(nodeId, "nodeId");
        rateLimits = List.copyOf(rateLimits);
        Objects.requireNonNull(hashing, "hashing");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxInFlightPerPeer < 1 || listenPort < 0 || listenPort > 0xFFFF || maxPeers < 1) {
            throw new IllegalArgumentException("maxInFlightPerPeer " + maxInFlightPerPeer + ", listenPort " + listenPort
                    + ", maxPeers " + maxPeers);
        }
    }

    /** As libtorrent and most BitTorrent clients keep per torrent: plenty of sources, a bounded number of sockets. */
    public static final int DEFAULT_MAX_PEERS = 50;

    public static DownloadOptions defaults() {
        return new DownloadOptions(Runnable::run, 8, Duration.ofSeconds(30), Duration.ofSeconds(20), List.of(),
                PeerId.UNKNOWN, 0, DEFAULT_MAX_PEERS);
    }

    public DownloadOptions withHashing(Executor executor) {
        return new DownloadOptions(executor, maxInFlightPerPeer, idleTimeout, requestTimeout, rateLimits, nodeId,
                listenPort, maxPeers);
    }

    public DownloadOptions withIdleTimeout(Duration timeout) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, timeout, requestTimeout, rateLimits, nodeId,
                listenPort, maxPeers);
    }

    public DownloadOptions withRequestTimeout(Duration timeout) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, idleTimeout, timeout, rateLimits, nodeId, listenPort,
                maxPeers);
    }

    /** E.g. {@code withRateLimits(nodeDownloadBucket, TokenBucket.perSecond(perTransferLimit))}. */
    public DownloadOptions withRateLimits(TokenBucket... limits) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, idleTimeout, requestTimeout, List.of(limits), nodeId,
                listenPort, maxPeers);
    }

    public DownloadOptions withNodeId(PeerId id) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, idleTimeout, requestTimeout, rateLimits, id,
                listenPort, maxPeers);
    }

    public DownloadOptions withMaxInFlightPerPeer(int max) {
        return new DownloadOptions(hashing, max, idleTimeout, requestTimeout, rateLimits, nodeId, listenPort, maxPeers);
    }

    /** The port this node's transfer server listens on, told to the servers we download from. */
    public DownloadOptions withListenPort(int port) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, idleTimeout, requestTimeout, rateLimits, nodeId,
                port, maxPeers);
    }

    public DownloadOptions withMaxPeers(int max) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, idleTimeout, requestTimeout, rateLimits, nodeId,
                listenPort, max);
    }
}
