package dev.kadshare.simulation.report;

/** What a run cost this JVM; the one part of a report allowed to differ between runs with the same seed. */
public record Cost(double wallSeconds, long peakHeapBytes, long heapBytesPerNode) {
}
