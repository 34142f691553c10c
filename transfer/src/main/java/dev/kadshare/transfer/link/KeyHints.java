package dev.kadshare.transfer.link;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Static keys the DHT named for addresses this node may dial (a peer's announcement carries its link key): unproven
 * hints, written by whoever answered a lookup, kept apart from what handshakes proved ({@link KnownKeys}). A hint makes
 * the first dial to an address use IK; if that handshake fails the hint is refuted, the dial is made again with XX,
 * and the same key is never tried there again (a different one, once); the failure is counted as
 * {@code ConnectionDrop.KEY_HINT_REFUTED}. Bounded (least recently used go first),
 * thread-safe, shared by a node's downloads.
 */
public final class KeyHints {
    /** A hinted key, and whether an IK handshake with it failed. */
    private record Hint(byte[] key, boolean refuted) {
    }

    private final Map<InetSocketAddress, Hint> byAddress;
    private long confirmed;

    public KeyHints(int capacity) {
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Hint> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The DHT gave {@code key} (32 bytes) for {@code address}; a key already refuted there is ignored. */
    public synchronized void hint(InetSocketAddress address, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a static key is 32 bytes, not " + key.length);
        }
        Hint known = byAddress.get(address);
        if (known == null || !Arrays.equals(known.key(), key)) {
            byAddress.put(address, new Hint(key.clone(), false));
        }
    }

    /** The key to try IK with at {@code address}: a hint not refuted yet. */
    public synchronized Optional<byte[]> at(InetSocketAddress address) {
        Hint hint = byAddress.get(address);
        return hint == null || hint.refuted() ? Optional.empty() : Optional.of(hint.key().clone());
    }

    /** An IK handshake with the hint at {@code address} completed: the key was the peer's. */
    public synchronized void confirmed(InetSocketAddress address) {
        confirmed++;
    }

    /** An IK handshake at {@code address} failed: its hint, if any, is not tried again. */
    public synchronized void refute(InetSocketAddress address) {
        byAddress.computeIfPresent(address, (a, hint) -> new Hint(hint.key(), true));
    }

    /** Hints an IK handshake proved right, so far. */
    public synchronized long confirmedCount() {
        return confirmed;
    }
}
