package dev.kadshare.simulation.report;

import java.util.List;

/**
 * What a run cost this JVM; the one part of a report allowed to differ between runs with the same seed.
 * {@code heapTop} says where the heap of the built network goes: the classes with the most live bytes.
 */
public record Cost(double wallSeconds, long peakHeapBytes, long heapBytesPerNode, List<HeapHistogram.Entry> heapTop) {
    public Cost {
        heapTop = List.copyOf(heapTop);
    }

    public Cost(double wallSeconds, long peakHeapBytes, long heapBytesPerNode) {
        this(wallSeconds, peakHeapBytes, heapBytesPerNode, List.of());
    }
}
