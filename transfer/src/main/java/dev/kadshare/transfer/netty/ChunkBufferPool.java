package dev.kadshare.transfer.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Direct buffers for chunk frames, kept between one download and the next. A new direct buffer costs the event loop
 * a zero-fill and a page fault per page (in a warm 1 GiB get, 2.2 % of the event loops' samples and 1.6 % of the
 * daemons', docs/benchmarks.md); kept, the next download reads into memory already there. At most
 * {@code maxIdleBytes} wait here, and none after a quiet while: a node that downloads nothing gives the memory back.
 * Thread-safe: buffers come back on any thread.
 */
public final class ChunkBufferPool {
    /** Two downloads' chunks in flight at the default 32 MiB each. */
    static final long SHARED_MAX_IDLE_BYTES = 64L << 20;
    /** Unused for between one and two of these, the kept buffers go. */
    static final Duration SHARED_QUIET = Duration.ofSeconds(30);

    private static final ChunkBufferPool SHARED = new ChunkBufferPool(SHARED_MAX_IDLE_BYTES, SHARED_QUIET);

    private final long maxIdleBytes;
    private final long quietNanos;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private long idleBytes;
    private boolean takenSinceSweep;
    /** Where the sweep is scheduled; null when none is. */
    private EventExecutor sweeper;

    ChunkBufferPool(long maxIdleBytes, Duration quiet) {
        this.maxIdleBytes = maxIdleBytes;
        this.quietNanos = quiet.toNanos();
    }

    /** The process's pool, as Netty's allocators are the process's: every download of every node here shares it. */
    public static ChunkBufferPool shared() {
        return SHARED;
    }

    /**
     * The smallest kept buffer of at least {@code capacity} bytes, else a new one. Never one over twice as large: a
     * download of small chunks, hundreds in flight, must not hold the large buffers of the last one.
     */
    synchronized ByteBuffer take(int capacity) {
        takenSinceSweep = true;
        ByteBuffer best = null;
        for (ByteBuffer b : idle) {
            if (b.capacity() >= capacity && b.capacity() / 2 <= capacity
                    && (best == null || b.capacity() < best.capacity())) {
                best = b;
            }
        }
        if (best == null) {
            return ByteBuffer.allocateDirect(capacity);
        }
        for (Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
            if (it.next() == best) { // by identity: a ByteBuffer's equals compares contents
                it.remove();
                break;
            }
        }
        idleBytes -= best.capacity();
        return best;
    }

    /**
     * Keeps {@code buffer}, unused now, for a later {@link #take}; frees it if the pool is full. {@code sweeper} (the
     * releasing download's event loop) runs the sweep that gives kept buffers back once nothing takes them.
     */
    void give(ByteBuffer buffer, EventExecutor sweeper) {
        synchronized (this) {
            if (idleBytes + buffer.capacity() <= maxIdleBytes) {
                idle.addFirst(buffer);
                idleBytes += buffer.capacity();
                if (this.sweeper == null || this.sweeper.isShuttingDown()) {
                    scheduleSweep(sweeper);
                }
                return;
            }
        }
        PlatformDependent.freeDirectBuffer(buffer); // not left for a GC that may be far off
    }

    /** Bytes of the buffers kept now. */
    synchronized long idleBytes() {
        return idleBytes;
    }

    private void scheduleSweep(EventExecutor on) {
        sweeper = on;
        try {
            on.schedule(this::sweep, quietNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            sweeper = null; // the next buffer given back schedules it where it can run
        }
    }

    /** Gives back every kept buffer if none was taken since the last sweep; else looks again later. */
    private void sweep() {
        ArrayDeque<ByteBuffer> unused;
        synchronized (this) {
            if (takenSinceSweep && !idle.isEmpty()) {
                takenSinceSweep = false;
                scheduleSweep(sweeper);
                return;
            }
            sweeper = null;
            takenSinceSweep = false;
            unused = new ArrayDeque<>(idle);
            idle.clear();
            idleBytes = 0;
        }
        unused.forEach(PlatformDependent::freeDirectBuffer);
    }
}
