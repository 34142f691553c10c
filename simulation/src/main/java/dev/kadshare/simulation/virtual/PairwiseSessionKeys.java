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
 * does; a miss there costs a map look-up here. Pairs are told apart by the first 16 bytes of each public key. Called
 * from the virtual network's one thread.
 */
final class PairwiseSessionKeys implements SessionKeys, AutoCloseable {
    private record Pair(long low0, long low1, long high0, long high1) {
        static Pair of(byte[] a, byte[] b) {
            boolean aLow = Arrays.compareUnsigned(a, b) <= 0;
            ByteBuffer low = ByteBuffer.wrap(aLow ? a : b);
            ByteBuffer high = ByteBuffer.wrap(aLow ? b : a);
            return new Pair(low.getLong(0), low.getLong(8), high.getLong(0), high.getLong(8));
        }
    }

    private final Map<Pair, CompletableFuture<Optional<byte[]>>> derived = new HashMap<>();
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
        CompletableFuture<Optional<byte[]>> known = derived.get(Pair.of(ours.publicKey(), theirPublic));
        Optional<byte[]> key = known != null ? known.join() : X25519SessionKeys.INSTANCE.derive(ours, theirPublic);
        if (known == null) {
            derived.put(Pair.of(ours.publicKey(), theirPublic), CompletableFuture.completedFuture(key));
        }
        return key.map(byte[]::clone);
    }

    /** Starts deriving the key of {@code receiver} and {@code senderPublic} on the worker, unless it is known. */
    void prefetch(DhtKey receiver, byte[] senderPublic) {
        derived.computeIfAbsent(Pair.of(receiver.publicKey(), senderPublic),
                pair -> CompletableFuture.supplyAsync(() -> X25519SessionKeys.INSTANCE.derive(receiver, senderPublic), worker));
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
