package dev.kadshare.simulation.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/** Wall time and heap of one run: the peak over all heap pools, and the heap the network holds per node. */
public final class CostMeter {
    /** Classes named in the report's account of the heap. */
    private static final int TOP_CLASSES = 12;
    private static final int GC_SAMPLES = 3;
    private final long startNanos = System.nanoTime();
    private final long baselineHeap;
    private long heapPerNode;
    private List<HeapHistogram.Entry> heapTop = List.of();

    private CostMeter() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        baselineHeap = usedHeapAfterGc();
    }

    public static CostMeter start() {
        return new CostMeter();
    }

    /** Call once the network is built and idle: the heap growth since the start, per node. */
    public void networkBuilt(int nodes) {
        heapPerNode = Math.max(0, usedHeapAfterGc() - baselineHeap) / Math.max(1, nodes);
        heapTop = HeapHistogram.top(TOP_CLASSES);
    }

    public Cost stop() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return new Cost((System.nanoTime() - startNanos) / 1e9, peak, heapPerNode, heapTop);
    }

    /**
     * The least of a few full collections' readings: one collection can leave garbage (a reference queue, a
     * promotion in flight) that the next frees, and a test that bounds this figure must not flake on it.
     */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < GC_SAMPLES; i++) {
            memory.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
