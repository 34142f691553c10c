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
            ticks.forEach((role, t) -> byRole.put(role, total.multipliedBy(t).dividedBy(processTicks)));
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
            String stat = Files.readString(Path.of("/proc/self/stat"));
            long own = ticks(stat);
            Duration total = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            return own == 0 ? Duration.ZERO : total.multipliedBy(field(stat, 13) + field(stat, 14)).dividedBy(own);
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO; // not Linux
        }
    }

    /** The name in a /proc stat line: between the first '(' and the last ')', as it may hold either. */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** User and system ticks of a /proc stat line: fields 14 and 15, counted after the name. */
    static long ticks(String stat) {
        return field(stat, 11) + field(stat, 12);
    }

    /** Field {@code i} of a /proc stat line, counted from 0 after the name (field 3, the state, is 0). */
    private static long field(String stat, int i) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +")[i]);
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
