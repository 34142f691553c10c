package dev.kadshare.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/** What a running process has used: CPU time so far and its peak resident memory, as Linux reports them. */
final class ProcessUsage {
    private ProcessUsage() {
    }

    static Duration cpu(Process process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * The process's CPU so far split by {@link ThreadRole}, from each live thread's ticks in /proc/PID/task; the
     * ticks of threads that exited count as {@link ThreadRole#OTHER}. Ticks become time at the ratio of the JDK's
     * total to the process's ticks, so no clock rate is assumed. Empty where /proc is not readable.
     */
    static Map<ThreadRole, Duration> cpuByRole(Process process) {
        Map<ThreadRole, Duration> byRole = new EnumMap<>(ThreadRole.class);
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            long processTicks = ticks(Files.readString(proc.resolve("stat")));
            Duration total = cpu(process);
            if (processTicks == 0) {
                return byRole;
            }
            Map<ThreadRole, Long> ticks = new EnumMap<>(ThreadRole.class);
            long live = 0;
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException exited) {
                    continue;
                }
                long t = ticks(stat);
                ticks.merge(ThreadRole.of(name(stat)), t, Long::sum);
                live += t;
            }
            ticks.merge(ThreadRole.OTHER, Math.max(0, processTicks - live), Long::sum);
            ticks.forEach((role, t) -> byRole.put(role, asTime(t, processTicks, total)));
        } catch (IOException | RuntimeException e) {
            byRole.clear(); // not Linux, or the process is gone
        }
        return byRole;
    }

    /**
     * The CPU of this JVM's children that exited and were waited for, so far (cutime and cstime of /proc/self/stat),
     * at the ratio of the JDK's total for this process to its own ticks; zero where /proc is not readable.
     */
    static Duration waitedChildrenCpu() {
        try {
            String[] fields = fields(Files.readString(Path.of("/proc/self/stat")));
            long own = ownTicks(fields);
            Duration total = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            return own == 0 ? Duration.ZERO : asTime(sum(fields, 13, 14), own, total); // cutime, cstime
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO; // not Linux
        }
    }

    /** {@code ticks} as time, at the ratio of the JDK's {@code processCpu} to the process's own {@code processTicks}. */
    private static Duration asTime(long ticks, long processTicks, Duration processCpu) {
        return processCpu.multipliedBy(ticks).dividedBy(processTicks);
    }

    /** The name in a /proc stat line: between the first '(' and the last ')', as it may hold either. */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** User and system ticks of a /proc stat line: fields 14 and 15, counted after the name. */
    static long ticks(String stat) {
        return ownTicks(fields(stat));
    }

    /** utime and stime of a stat line's {@link #fields}. */
    private static long ownTicks(String[] fields) {
        return sum(fields, 11, 12);
    }

    /** The fields of a /proc stat line after the name, from 0 (field 3, the state). */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    }

    private static long sum(String[] fields, int first, int second) {
        return Long.parseLong(fields[first]) + Long.parseLong(fields[second]);
    }

    /** VmHWM from /proc: the most memory the process held resident since it started; 0 where not readable. */
    static long peakRssBytes(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return 0;
    }
}
