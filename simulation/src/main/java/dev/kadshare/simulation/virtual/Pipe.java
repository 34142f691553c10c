package dev.kadshare.simulation.virtual;

/**
 * One direction of a host's access link with a fixed capacity, shared by reservation: each transfer
 * takes the pipe for size/capacity from when it is free. Serial reservation never exceeds the capacity
 * over any interval, which is all the Kumar–Ross bound assumes, and costs O(1) per chunk.
 */
public final class Pipe {
    private final double bytesPerSecond;
    private long freeAtNanos;

    public Pipe(double bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Reserves the pipe for {@code bytes} starting no earlier than {@code notBeforeNanos}; returns the end. */
    public long reserve(long notBeforeNanos, long bytes) {
        long start = Math.max(freeAtNanos, notBeforeNanos);
        freeAtNanos = start + Math.round(bytes / bytesPerSecond * 1e9);
        return freeAtNanos;
    }

    public long freeAtNanos() {
        return freeAtNanos;
    }

    public double bytesPerSecond() {
        return bytesPerSecond;
    }
}
