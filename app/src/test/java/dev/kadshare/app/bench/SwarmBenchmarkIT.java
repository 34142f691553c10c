package dev.kadshare.app.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm benchmark, run small: it works end to end (every copy is checked inside), not how fast. One scenario, a
 * seeder and two downloaders, takes the same path as 1 -> 1 with more of everything.
 */
class SwarmBenchmarkIT {
    @TempDir
    Path dir;

    @Test
    void runsBothScenariosAndPrintsTheirFigures() throws Exception {
        List<String> lines = new ArrayList<>();
        SwarmBenchmark.run(new SwarmBenchmark.Options(4, 1, List.of(2), dir), lines::add);
        String report = String.join("\n", lines);
        assertTrue(report.matches("(?s).*limit: raw TCP R \\d+ MB/s, SHA-256 H \\d+ MB/s \\(one core\\), L \\d+ MB/s.*"), report);
        // every step of the floor took some CPU, or it was not measured
        assertTrue(report.matches("(?s).*floor: CPU-s per GiB from a sender's file to a receiver's: TCP (?!0\\.00)\\d+\\.\\d\\d, "
                + "link cipher (?!0\\.00)\\d+\\.\\d\\d, SHA-256 (?!0\\.00)\\d+\\.\\d\\d, file write (?!0\\.00)\\d+\\.\\d\\d, "
                + "file read (?!0\\.00)\\d+\\.\\d\\d; \\d+\\.\\d\\d in all.*"), report);
        assertTrue(report.matches("(?s).*disk: a download's writes \\((around|through) the page cache\\) made durable "
                + "\\(fsync\\) wait \\d+\\.\\d\\d s per GiB, not CPU; written by 2 threads and made durable, "
                + "(?!0\\.00)\\d+\\.\\d\\d s per GiB: \\d+ MB/s \\(\\d+\\.\\d\\d L\\) at most.*"), report);
        for (String scenario : List.of("1+2")) {
            assertTrue(report.contains(scenario + " kadshare round 1: "), report);
            // the JVM the daemons ran on: the launcher's java, with or without its AOT cache
            assertTrue(report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario)
                    + " kadshare daemons: /\\S+/java; \\d of 3 start from the AOT cache, \\d record it\n.*"), report);
            // the daemons' CPU split by thread: the chunks went through event loops and hashing, so neither is zero
            assertTrue(report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario)
                    + " kadshare round 1, all daemons' CPU-s per GiB received: event loops (?!0\\.00)\\d+\\.\\d\\d, "
                    + "hashing (?!0\\.00)\\d+\\.\\d\\d, JIT compilers -?\\d+\\.\\d\\d, GC and VM -?\\d+\\.\\d\\d, "
                    + "other -?\\d+\\.\\d\\d.*"), report);
            // the machine's cores over the round: four parts of its ticks, and the transfer kept them busy some of it
            assertTrue(report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario) + " kadshare round 1, the cores: "
                    + "busy (?!0 )\\d+ %, waiting for the disk \\d+ %, idle \\d+ %, stolen by the host \\d+ %\n.*"), report);
            assertTrue(report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario)
                    + " kadshare peak RSS \\(MB\\): \\d+ \\d+.*"), report);
            assertTrue(report.contains(scenario + " summary: kadshare fresh "), report);
            // the gets' CPU comes from the children this JVM waited for: two JVMs started, so not zero
            assertTrue(report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario)
                    + " kadshare round 1: [^\\n]*; the gets' CPU-s (?!0\\.00)\\d+\\.\\d\\d\n.*"), report);
            assertTrue(report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario) + " floor: 0\\.01 GiB received take at "
                    + "least \\d+\\.\\d\\d CPU-s, .* the disk's flushes \\d+\\.\\d\\d s; .* the daemons (?!0\\.00)\\d+\\.\\d\\d CPU-s, the gets (?!0\\.00)\\d+\\.\\d\\d.*"), report);
            boolean aria2 = Aria2Swarm.unavailable().isEmpty();
            assertTrue(aria2 ? report.matches("(?s).*" + java.util.regex.Pattern.quote(scenario) + " aria2 round 1: [^\\n]*; "
                    + "the cores: busy \\d+ %, waiting for the disk \\d+ %, idle \\d+ %, stolen by the host \\d+ %\n.*")
                    : report.contains(scenario + " aria2 skipped: "), report);
        }
    }
}
