package dev.kadshare.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The machine's cores over a span of time, in clock ticks from /proc/stat: busy (user, system, interrupts), idle while
 * a disk request was outstanding (iowait), otherwise idle, and stolen by the host. A round's wall time is CPU-bound
 * only where its cores were busy; the rest waited for the disk, or for nothing.
 */
record Cores(long busy, long diskWait, long idle, long stolen) {
    private static final Path STAT = Path.of("/proc/stat");

    /** The ticks so far, all cores together. */
    static Cores now() throws IOException {
        return parse(Files.readAllLines(STAT).get(0));
    }

    /** From the first line of /proc/stat: {@code cpu user nice system idle iowait irq softirq steal ...}. */
    static Cores parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 9) {
            throw new IllegalArgumentException("not the cores' line of /proc/stat: " + line);
        }
        long[] t = Arrays.stream(fields, 1, 9).mapToLong(Long::parseLong).toArray();
        return new Cores(t[0] + t[1] + t[2] + t[5] + t[6], t[4], t[3], t[7]);
    }

    /** The ticks from {@code earlier} to these. */
    Cores since(Cores earlier) {
        return new Cores(busy - earlier.busy, diskWait - earlier.diskWait, idle - earlier.idle, stolen - earlier.stolen);
    }

    /** "busy 86 %, waiting for the disk 9 %, idle 5 %, stolen by the host 0 %": each part of all the ticks. */
    String describe() {
        double all = Math.max(1, busy + diskWait + idle + stolen);
        return String.format(Locale.ROOT, "busy %.0f %%, waiting for the disk %.0f %%, idle %.0f %%, stolen by the host %.0f %%",
                100 * busy / all, 100 * diskWait / all, 100 * idle / all, 100 * stolen / all);
    }
}
