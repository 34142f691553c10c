package dev.kadshare.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoresTest {
    @Test
    void splitsTheTicksIntoBusyDiskWaitIdleAndStolen() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        Cores before = Cores.parse("cpu  100 10 40 500 20 5 5 0 0 0");
        Cores after = Cores.parse("cpu  260 10 80 520 80 5 25 20 0 0");
        Cores round = after.since(before);
        assertEquals(new Cores(220, 60, 20, 20), round);
        assertEquals("busy 69 %, waiting for the disk 19 %, idle 6 %, stolen by the host 6 %", round.describe());
    }

    @Test
    void readsThisMachinesCounters() throws Exception {
        Cores now = Cores.now();
        assertTrue(now.busy() > 0 && now.idle() >= 0, now.toString());
    }

    @Test
    void refusesALineThatIsNotTheCoresTotal() {
        assertThrows(IllegalArgumentException.class, () -> Cores.parse("cpu0 1 2 3 4 5 6 7 8"));
    }
}
