package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UploadSlotsTest {
    /** The changes as a peer would hear them: "unchoke c", "choke a". */
    private static List<String> told(List<UploadSlots.Change<String>> changes) {
        return changes.stream().map(c -> (c instanceof UploadSlots.Change.Unchoked<String> ? "unchoke " : "choke ")
                + c.member()).toList();
    }

    @Test
    void slotsAreCappedAndRotateFairly() {
        UploadSlots<String> slots = new UploadSlots<>(2);
        assertTrue(slots.join("a"));
        assertTrue(slots.join("b"));
        assertFalse(slots.join("c"), "third one waits");
        assertEquals(List.of("unchoke c", "choke a"), told(slots.rotate()), "longest served yields to longest waiting");
        assertEquals(List.of("unchoke a", "choke b"), told(slots.rotate()));
        assertEquals(2, slots.servedCount());
    }

    @Test
    void aLeavingMemberFreesItsSlotForTheNextInLine() {
        UploadSlots<String> slots = new UploadSlots<>(1);
        slots.join("a");
        slots.join("b");
        assertEquals(List.of("unchoke b"), told(slots.leave("a")));
        assertEquals(List.of(), told(slots.rotate()), "nobody waits: no rotation");
        assertEquals(List.of(), told(slots.leave("nobody")));
    }

    @Test
    void aConnectionThatAskedNothingForAWholePeriodYieldsBeforeTheLongestServed() {
        UploadSlots<String> slots = new UploadSlots<>(3);
        List.of("a", "b", "c", "d").forEach(slots::join);
        // Nobody has been served a whole period yet: the longest served yields.
        assertEquals(List.of("unchoke d", "choke a"), told(slots.rotate()));
        slots.requested("b");
        slots.requested("a"); // choked: ignored
        assertEquals(List.of("unchoke a", "choke c"), told(slots.rotate()),
                "c asked for nothing for a whole period; b, served longer, is using its slot; d only just got one");
    }

    @Test
    void idleConnectionsAndTheLongestServedAllYieldWhenEnoughWait() {
        UploadSlots<String> slots = new UploadSlots<>(3);
        List.of("a", "b", "c", "d", "e").forEach(slots::join);
        assertEquals(List.of("unchoke d", "choke a"), told(slots.rotate()));
        slots.requested("b");
        assertEquals(List.of("unchoke e", "unchoke a", "choke c", "choke b"), told(slots.rotate()),
                "idle c yields, then the longest served b; d, served for less than a period, keeps its slot");
        assertEquals(3, slots.servedCount());
    }

    @Test
    void anIdleConnectionKeepsItsSlotWhileNobodyWaits() {
        UploadSlots<String> slots = new UploadSlots<>(2);
        slots.join("a");
        assertEquals(List.of(), told(slots.rotate()));
        assertEquals(List.of(), told(slots.rotate()));
        slots.join("b");
        slots.join("c");
        slots.requested("a");
        assertEquals(List.of("unchoke c", "choke a"), told(slots.rotate()),
                "a has been asking; it still yields as the longest served");
    }

    @Test
    void atLeastOneSlot() {
        assertThrows(IllegalArgumentException.class, () -> new UploadSlots<String>(0));
    }
}
