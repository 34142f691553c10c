package dev.kadshare.simulation.virtual;

import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.SessionKeys;
import dev.kadshare.dht.identity.X25519SessionKeys;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Session keys of a virtual network's nodes, each pair's derived once for both ends, ahead of need on a second core.
 * X25519 gives both ends the same key, so in one JVM the second end need not compute it again; and a datagram in
 * flight names both ends, so the key its receiver will need is derived on a worker thread while the virtual network
 * runs other events ({@link #prefetch}). X25519 is a pure function: results and runs are the same as deriving in
 * place, the simulation stays deterministic. Each node still derives through its own session cache as a real node
 * does; a miss there costs a look-up here. Called from the virtual network's one thread.
 *
 * <p>A 100,000-node run keeps millions of pairs, so they sit in an open-addressed table of primitive arrays, 40 bytes
 * a pair: a 64-bit fingerprint of the pair's two public keys and its 32-byte key. Two pairs of one fingerprint (about
 * one chance in 10^6 over a whole 100,000-node run) would give one of them the other's key: its answers would fail
 * their tag and be dropped, as a forged answer is, nothing worse.
 */
final class PairwiseSessionKeys implements SessionKeys, AutoCloseable {
    private static final int KEY_LONGS = DhtKey.BYTES / Long.BYTES;

    private long[] fingerprints = new long[1 << 16];
    private long[] keys = new long[fingerprints.length * KEY_LONGS];
    private int size;
    /** Derivations under way on the worker, by fingerprint; empty once taken. */
    private final Map<Long, CompletableFuture<Optional<byte[]>>> pending = new HashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "session-keys");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public Optional<byte[]> derive(DhtKey ours, byte[] theirPublic) {
        if (theirPublic.length != DhtKey.BYTES) {
            return Optional.empty();
        }
        long fingerprint = fingerprint(ours.publicKey(), theirPublic);
        int slot = slotOf(fingerprint);
        if (fingerprints[slot] == fingerprint) {
            return Optional.of(keyAt(slot));
        }
        CompletableFuture<Optional<byte[]>> underWay = pending.remove(fingerprint);
        Optional<byte[]> key = underWay != null ? underWay.join() : X25519SessionKeys.INSTANCE.derive(ours, theirPublic);
        key.ifPresent(k -> put(fingerprint, k));
        return key;
    }

    /** Starts deriving the key of {@code receiver} and {@code senderPublic} on the worker, unless it is known. */
    void prefetch(DhtKey receiver, byte[] senderPublic) {
        long fingerprint = fingerprint(receiver.publicKey(), senderPublic);
        if (fingerprints[slotOf(fingerprint)] != fingerprint) {
            pending.computeIfAbsent(fingerprint, f -> CompletableFuture.supplyAsync(
                    () -> X25519SessionKeys.INSTANCE.derive(receiver, senderPublic), worker));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** The slot holding {@code fingerprint}, or the empty one where it would go (linear probing). */
    private int slotOf(long fingerprint) {
        int mask = fingerprints.length - 1;
        int slot = (int) (fingerprint ^ fingerprint >>> 32) & mask;
        while (fingerprints[slot] != 0 && fingerprints[slot] != fingerprint) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void put(long fingerprint, byte[] key) {
        if (2 * (size + 1) > fingerprints.length) {
            grow();
        }
        int slot = slotOf(fingerprint);
        if (fingerprints[slot] == 0) {
            size++;
        }
        fingerprints[slot] = fingerprint;
        ByteBuffer.wrap(key).asLongBuffer().get(keys, slot * KEY_LONGS, KEY_LONGS);
    }

    private byte[] keyAt(int slot) {
        ByteBuffer key = ByteBuffer.allocate(DhtKey.BYTES);
        key.asLongBuffer().put(keys, slot * KEY_LONGS, KEY_LONGS);
        return key.array();
    }

    private void grow() {
        long[] oldFingerprints = fingerprints;
        long[] oldKeys = keys;
        fingerprints = new long[oldFingerprints.length * 2];
        keys = new long[fingerprints.length * KEY_LONGS];
        for (int i = 0; i < oldFingerprints.length; i++) {
            if (oldFingerprints[i] != 0) {
                int slot = slotOf(oldFingerprints[i]);
                fingerprints[slot] = oldFingerprints[i];
                System.arraycopy(oldKeys, i * KEY_LONGS, keys, slot * KEY_LONGS, KEY_LONGS);
            }
        }
    }

    /** A 64-bit fingerprint of the unordered pair: each key's first 16 bytes mixed, the lower key first; never 0. */
    private static long fingerprint(byte[] a, byte[] b) {
        boolean aLow = Arrays.compareUnsigned(a, b) <= 0;
        long f = mix(mix(firstHalf(aLow ? a : b)) * 31 + firstHalf(aLow ? b : a));
        return f == 0 ? 1 : f;
    }

    /** A key's first 16 bytes folded into 64 bits. */
    private static long firstHalf(byte[] key) {
        ByteBuffer bytes = ByteBuffer.wrap(key);
        return bytes.getLong(0) ^ bytes.getLong(8);
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb53a85e84ca3L;
        return h ^ h >>> 33;
    }
}
