package dev.kadshare.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** One step of the data path measured on this machine: its rate, and the CPU its threads took per GiB. */
record Step(double bytesPerSecond, double cpuPerGib) {
    private static final double GIB = 1 << 30;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The step of {@code bytes} done in {@code wallNanos} with {@code cpuNanos} of its threads' CPU (user and system). */
    static Step of(long bytes, long wallNanos, long cpuNanos) {
        return new Step(bytes / (wallNanos / 1e9), cpuNanos / 1e9 / (bytes / GIB));
    }

    /** No run yet: any run is better. */
    static final Step NONE = new Step(0, Double.POSITIVE_INFINITY);

    /** The best of two runs: the higher rate and the lower CPU, each a figure the machine showed it can reach. */
    Step best(Step other) {
        return new Step(Math.max(bytesPerSecond, other.bytesPerSecond), Math.min(cpuPerGib, other.cpuPerGib));
    }

    /** The wall clock and the calling thread's CPU (user and system) from a start, for a step run on that thread. */
    record Stopwatch(long wallStart, long cpuStart) {
        static Stopwatch start() {
            return new Stopwatch(System.nanoTime(), THREADS.getCurrentThreadCpuTime());
        }

        long wallNanos() {
            return System.nanoTime() - wallStart;
        }

        long cpuNanos() {
            return THREADS.getCurrentThreadCpuTime() - cpuStart;
        }

        /** The step of {@code bytes} since the start, on this thread alone. */
        Step stop(long bytes) {
            return Step.of(bytes, wallNanos(), cpuNanos());
        }
    }
}
