package dev.kadshare.transfer.download;

import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.peers.DialPolicy;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.store.AfterMove;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import dev.kadshare.transfer.swarm.ChunkOrder;
import java.util.concurrent.Executor;

/**
 * How one download runs. {@link #defaults()} suits a daemon; pass a bounded worker pool as {@code hashing}
 * to keep SHA-256 off the event loop (results come back to the loop).
 *
 * @param hashing where received chunks are hashed; {@code Runnable::run} hashes on the event loop
 * @param maxInFlightPerPeer requests outstanding per peer, enough to keep a connection full
 * @param maxInFlightBytes chunks requested and not yet verified, across all peers, in bytes (at least one
 *     chunk): each holds a buffer, so this bounds the download's memory however many peers it has
 * @param idleTimeout a peer that owes us data and sends nothing for this long is closed
 * @param requestTimeout a chunk requested this long ago and not yet received is asked of another peer; a chunk
 *     larger than 1 MiB may take this long for every MiB ({@link #requestTimeoutFor})
 * @param rateLimits every received chunk is taken from each of these (e.g. the node's download bucket and
 *     one of this transfer); a connection stops reading while any is in debt
 * @param nodeId this node's id, sent in HELLO; a peer answering with the same id is this node itself
 * @param maxPeers connections open (or opening) at once; further peers wait their turn
 * @param listenPort the TCP port this node serves on, sent in HELLO so servers tell other peers of it; 0 = none
 * @param bans the node's banned peers, shared by all its downloads: a download adds the peers it catches sending bad
 *     data, and deals with none of them
 * @param dialPolicy which addresses named by others (PEERS, the DHT, the caller) are dialled
 * @param drops where the node counts the connections it closes of its own accord (a banned peer's)
 * @param chunkOrder the order of the chunks no reader waits for: rarest-first, or mostly sequential for playing
 * @param afterMove whether the sidecar goes as the content is moved into place, or stays until the caller, having
 *     recorded the completion itself, settles it
 */
public record DownloadOptions(Executor hashing, int maxInFlightPerPeer, long maxInFlightBytes, Duration idleTimeout,
        Duration requestTimeout, List<TokenBucket> rateLimits, PeerId nodeId, int listenPort, int maxPeers,
        PeerBans bans, DialPolicy dialPolicy, ConnectionDrops drops, ChunkOrder chunkOrder, AfterMove afterMove) {
    public DownloadOptions {
        Objects.requireNonNull(chunkOrder, "chunkOrder");
        Objects.requireNonNull(afterMove, "afterMove");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(bans, "bans");
        Objects.requireNonNull(dialPolicy, "dialPolicy");
        Objects.requireNonNull(drops, "drops");
        rateLimits = List.copyOf(rateLimits);
        Objects.requireNonNull(hashing, "hashing");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxInFlightPerPeer < 1 || maxInFlightBytes < 1 || listenPort < 0 || listenPort > 0xFFFF || maxPeers < 1) {
            throw new IllegalArgumentException("maxInFlightPerPeer " + maxInFlightPerPeer + ", maxInFlightBytes "
                    + maxInFlightBytes + ", listenPort " + listenPort + ", maxPeers " + maxPeers);
        }
    }

    /**
     * 32 MiB: 4 fast peers 8 chunks deep at 1 MiB chunks (8 chunks in all at 4 MiB), which keeps loopback full, and
     * 320 MB/s at a 100 ms round trip.
     */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 32L << 20;

    /** How many chunks of {@code chunkSize} bytes {@link #maxInFlightBytes} allows in flight: at least one. */
    public int maxInFlightChunks(int chunkSize) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxInFlightBytes / Math.max(1, chunkSize)));
    }

    private static final long MIB = 1 << 20;

    /**
     * How long a chunk of {@code chunkSize} bytes may stay requested and not received: {@link #requestTimeout} for
     * every MiB or part of one, so a peer fast enough to send a 1 MiB chunk in time also sends a 4 MiB one in time.
     */
    public Duration requestTimeoutFor(int chunkSize) {
        return requestTimeout.multipliedBy(Math.max(1, ((long) chunkSize + MIB - 1) / MIB));
    }

    /** As libtorrent and most BitTorrent clients keep per torrent: plenty of sources, a bounded number of sockets. */
    public static final int DEFAULT_MAX_PEERS = 50;

    /** Bans and connection drops of their own (a node gives its shared ones), and every address dialled. */
    public static DownloadOptions defaults() {
        return new DownloadOptions(Runnable::run, 8, DEFAULT_MAX_IN_FLIGHT_BYTES, Duration.ofSeconds(30),
                Duration.ofSeconds(20), List.of(), PeerId.UNKNOWN, 0, DEFAULT_MAX_PEERS, new PeerBans(),
                DialPolicy.everywhere(), new ConnectionDrops(), ChunkOrder.RAREST_FIRST, AfterMove.DELETE_SIDECAR);
    }

    /** The defaults, to change what differs: {@code DownloadOptions.builder().hashing(pool).build()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** These options, to change some: the record's constructor checks the result. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link DownloadOptions}: each setter names the field it sets, {@link #build()} validates. */
    public static final class Builder {
        private Executor hashing;
        private int maxInFlightPerPeer;
        private long maxInFlightBytes;
        private Duration idleTimeout;
        private Duration requestTimeout;
        private List<TokenBucket> rateLimits;
        private PeerId nodeId;
        private int listenPort;
        private int maxPeers;
        private PeerBans bans;
        private DialPolicy dialPolicy;
        private ConnectionDrops drops;
        private ChunkOrder chunkOrder;
        private AfterMove afterMove;

        private Builder(DownloadOptions from) {
            hashing = from.hashing;
            maxInFlightPerPeer = from.maxInFlightPerPeer;
            maxInFlightBytes = from.maxInFlightBytes;
            idleTimeout = from.idleTimeout;
            requestTimeout = from.requestTimeout;
            rateLimits = from.rateLimits;
            nodeId = from.nodeId;
            listenPort = from.listenPort;
            maxPeers = from.maxPeers;
            bans = from.bans;
            dialPolicy = from.dialPolicy;
            drops = from.drops;
            chunkOrder = from.chunkOrder;
            afterMove = from.afterMove;
        }

        public Builder hashing(Executor executor) {
            this.hashing = executor;
            return this;
        }

        public Builder maxInFlightPerPeer(int max) {
            this.maxInFlightPerPeer = max;
            return this;
        }

        public Builder maxInFlightBytes(long bytes) {
            this.maxInFlightBytes = bytes;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** E.g. {@code rateLimits(nodeDownloadBucket, TokenBucket.perSecond(perTransferLimit, clock))}. */
        public Builder rateLimits(TokenBucket... limits) {
            this.rateLimits = List.of(limits);
            return this;
        }

        public Builder nodeId(PeerId id) {
            this.nodeId = id;
            return this;
        }

        /** The port this node's transfer server listens on, told to the servers we download from. */
        public Builder listenPort(int port) {
            this.listenPort = port;
            return this;
        }

        public Builder maxPeers(int max) {
            this.maxPeers = max;
            return this;
        }

        /** The node's ban list, shared by all its downloads. */
        public Builder bans(PeerBans list) {
            this.bans = list;
            return this;
        }

        public Builder dialPolicy(DialPolicy policy) {
            this.dialPolicy = policy;
            return this;
        }

        /** The node's connection drop counts, shared with its server. */
        public Builder drops(ConnectionDrops counts) {
            this.drops = counts;
            return this;
        }

        public Builder chunkOrder(ChunkOrder order) {
            this.chunkOrder = order;
            return this;
        }

        /** {@link AfterMove#KEEP_SIDECAR} for a caller that records completions itself, as a node's catalog does. */
        public Builder afterMove(AfterMove after) {
            this.afterMove = after;
            return this;
        }

        public DownloadOptions build() {
            return new DownloadOptions(hashing, maxInFlightPerPeer, maxInFlightBytes, idleTimeout, requestTimeout,
                    rateLimits, nodeId, listenPort, maxPeers, bans, dialPolicy, drops, chunkOrder, afterMove);
        }
    }
}
