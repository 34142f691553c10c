package dev.kadshare.simulation.loopback;

import java.lang.management.ManagementFactory;

/**
 * How busy this JVM kept the machine's processors since it was started: on loopback, completion times measure
 * the capacities only while the CPUs have time to spare.
 */
public final class CpuLoad {
    private final long startCpu = cpuNanos();
    private final long startWall = System.nanoTime();

    private CpuLoad() {}

    public static CpuLoad start() {
        return new CpuLoad();
    }

    /** Process CPU time over wall time times the processors: 1.0 means every core busy all along. */
    public double busyShare() {
        long wall = Math.max(1, System.nanoTime() - startWall);
        return (cpuNanos() - startCpu) / (double) wall / Runtime.getRuntime().availableProcessors();
    }

    private static long cpuNanos() {
        // The JDK's own bean has the process CPU time; on a JVM without it, report an idle machine.
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }
}
