package dev.kadshare.transfer;

import java.time.Duration;
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
 */
public record DownloadOptions(Executor hashing, int maxInFlightPerPeer, Duration idleTimeout, Duration requestTimeout) {
    public DownloadOptions {
        Objects.requireNonNull(hashing, "hashing");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxInFlightPerPeer < 1) {
            throw new IllegalArgumentException("maxInFlightPerPeer " + maxInFlightPerPeer);
        }
    }

    public static DownloadOptions defaults() {
        return new DownloadOptions(Runnable::run, 8, Duration.ofSeconds(30), Duration.ofSeconds(20));
    }

    public DownloadOptions withHashing(Executor executor) {
        return new DownloadOptions(executor, maxInFlightPerPeer, idleTimeout, requestTimeout);
    }

    public DownloadOptions withIdleTimeout(Duration timeout) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, timeout, requestTimeout);
    }

    public DownloadOptions withRequestTimeout(Duration timeout) {
        return new DownloadOptions(hashing, maxInFlightPerPeer, idleTimeout, timeout);
    }

    public DownloadOptions withMaxInFlightPerPeer(int max) {
        return new DownloadOptions(hashing, max, idleTimeout, requestTimeout);
    }
}
