package dev.kadshare.transfer.netty;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Readers of a download waiting for chunks to be verified, on its loop: each is told once its chunk is, or that the
 * download ended without it. Chunks verified before the manifest was known come in all at once ({@link #known}).
 */
final class ChunkWaiters {
    private final BitSet verified = new BitSet();
    private final Map<Integer, List<CompletableFuture<Void>>> waiting = new HashMap<>();
    private boolean complete;
    private Throwable failed;

    void add(int index, CompletableFuture<Void> waiter) {
        if (complete || verified.get(index)) {
            waiter.complete(null);
        } else if (failed != null) {
            waiter.completeExceptionally(failed);
        } else {
            waiting.computeIfAbsent(index, i -> new ArrayList<>()).add(waiter);
        }
    }

    /** The manifest is known, with {@code held} verified already (a resumed download's). */
    void known(BitSet held) {
        held.stream().forEach(this::verified);
    }

    void verified(int index) {
        verified.set(index);
        List<CompletableFuture<Void>> done = waiting.remove(index);
        if (done != null) {
            done.forEach(w -> w.complete(null));
        }
    }

    /** Every chunk is verified and the content in place. */
    void complete() {
        complete = true;
        waiting.values().forEach(list -> list.forEach(w -> w.complete(null)));
        waiting.clear();
    }

    /** The download ended: whoever still waits never gets the chunk from it. */
    void fail(Throwable why) {
        if (complete) {
            return;
        }
        failed = why;
        waiting.values().forEach(list -> list.forEach(w -> w.completeExceptionally(why)));
        waiting.clear();
    }
}
