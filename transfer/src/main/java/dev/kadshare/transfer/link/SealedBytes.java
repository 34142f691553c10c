package dev.kadshare.transfer.link;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Memory for records sealed and not yet taken by a socket, over all of a node's encrypted links, held to a bound. A
 * link seals a record ahead of its first only with room taken here, and gives it back once the socket took the
 * record; a link refused waits, and is told when room comes back. Its first record needs no room, so slow peers
 * holding all of it slow the other links to a record at a time and stop none. Without it every peer that asks for
 * chunks and reads slowly held a chunk or two of sealed records in direct memory: a few dozen such connections filled
 * the daemon's direct memory, and every link of the node then failed. Thread-safe: links on every loop share one.
 */
public final class SealedBytes {
    /**
     * 32 MiB: 64 links each sealing half a MiB ahead; with a record each for the 512 connections a server admits,
     * a quarter of the daemon's direct memory at most.
     */
    public static final long DEFAULT_BOUND = 32L << 20;

    /** Whether room was taken, or the caller waits to be told of room. */
    public enum Take { TAKEN, WAITING }

    /** The most one record takes. */
    private static final int RECORD = RecordLayer.sealedSize(RecordLayer.MAX_PLAINTEXT);

    private final long bound;
    private long held;
    private final Queue<Runnable> waiting = new ArrayDeque<>();

    public SealedBytes(long bound) {
        if (bound < RECORD) {
            throw new IllegalArgumentException("bound " + bound + " holds no whole record of " + RECORD + " bytes");
        }
        this.bound = bound;
    }

    /**
     * Takes {@code bytes} if they fit under the bound; otherwise keeps {@code onRoom}, to run once (on the thread that
     * gives room back) when room is given back, and takes nothing. A link waits at most once at a time.
     */
    public synchronized Take takeOrWait(int bytes, Runnable onRoom) {
        if (held + bytes <= bound) {
            held += bytes;
            return Take.TAKEN;
        }
        waiting.add(onRoom);
        return Take.WAITING;
    }

    /** Forgets {@code onRoom}, kept by {@link #takeOrWait}, if not run yet: its link closed and needs no room. */
    public synchronized void cancel(Runnable onRoom) {
        waiting.remove(onRoom);
    }

    /** Links waiting to be told of room. */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** Gives {@code bytes} back and tells as many waiting links as a record each could now fit. */
    public void give(int bytes) {
        List<Runnable> wake = new ArrayList<>();
        synchronized (this) {
            held -= bytes;
            long room = bound - held;
            while (!waiting.isEmpty() && room >= RECORD) {
                wake.add(waiting.poll());
                room -= RECORD;
            }
        }
        wake.forEach(Runnable::run);
    }

    /** Bytes taken and not given back. */
    public synchronized long held() {
        return held;
    }

    public long bound() {
        return bound;
    }
}
