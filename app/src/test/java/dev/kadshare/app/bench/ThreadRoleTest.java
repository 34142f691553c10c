package dev.kadshare.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadRoleTest {
    @Test
    void tellsEachDaemonThreadByItsName() {
        assertEquals(ThreadRole.EVENT_LOOPS, ThreadRole.of("multiThreadIoEv"));
        assertEquals(ThreadRole.HASHING, ThreadRole.of("kadshare-hash"));
        assertEquals(ThreadRole.JIT, ThreadRole.of("C2 CompilerThre"));
        assertEquals(ThreadRole.JIT, ThreadRole.of("C1 CompilerThre"));
        assertEquals(ThreadRole.GC, ThreadRole.of("GC Thread#1"));
        assertEquals(ThreadRole.GC, ThreadRole.of("G1 Conc#0"));
        assertEquals(ThreadRole.GC, ThreadRole.of("VM Thread"));
        assertEquals(ThreadRole.OTHER, ThreadRole.of("kadshare-api"));
    }

    @Test
    void readsTicksAfterANameWithSpacesAndParentheses() {
        String stat = "4242 (C2 (odd) name) S 1 4242 4242 0 -1 4194624 120 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertEquals("C2 (odd) name", ProcessUsage.name(stat));
        assertEquals(1290, ProcessUsage.ticks(stat));
    }

    @Test
    void splitsARunningProcessCpuAndTheRolesAddUpToItsTotal() throws Exception {
        // a JVM that spins on its main thread for a while: its CPU is mostly OTHER (main), and the roles sum to the total
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), Spin.class.getName()).redirectErrorStream(true).start();
        try {
            assertEquals('s', java.getInputStream().read()); // Spin prints once it has spun
            Map<ThreadRole, Duration> byRole = ProcessUsage.cpuByRole(java);
            Duration total = ProcessUsage.cpu(java);
            Duration sum = byRole.values().stream().reduce(Duration.ZERO, Duration::plus);
            assertTrue(byRole.get(ThreadRole.OTHER).toMillis() >= 200, byRole.toString());
            assertTrue(sum.minus(total).abs().toMillis() <= 50, sum + " against " + total);
        } finally {
            java.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Spins its main thread for 300 ms of CPU (30 s at most), then says so and waits to be killed. */
    static final class Spin {
        public static void main(String[] args) throws Exception {
            var bean = java.lang.management.ManagementFactory.getThreadMXBean();
            long x = 0;
            long start = System.nanoTime();
            while (bean.getCurrentThreadCpuTime() < 300_000_000L && System.nanoTime() - start < 30_000_000_000L) {
                x += System.nanoTime() & 1;
            }
            System.out.println(x >= 0 ? "spun" : "");
            System.out.flush();
            Thread.currentThread().join(); // until killed
        }
    }
}
