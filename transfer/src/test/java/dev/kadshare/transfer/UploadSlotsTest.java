package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadSlotsTest {
    private final List<String> events = new ArrayList<>();

    private UploadSlots.Member member(String name) {
        return new UploadSlots.Member() {
            @Override
            public void choke() {
                events.add("choke " + name);
            }

            @Override
            public void unchoke() {
                events.add("unchoke " + name);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Test
    void slotsAreCappedAndRotateFairly() {
        UploadSlots slots = new UploadSlots(2);
        UploadSlots.Member a = member("a");
        UploadSlots.Member b = member("b");
        UploadSlots.Member c = member("c");
        assertTrue(slots.join(a));
        assertTrue(slots.join(b));
        assertFalse(slots.join(c), "third one waits");
        slots.rotate();
        assertEquals(List.of("unchoke c", "choke a"), events, "longest served yields to longest waiting");
        events.clear();
        slots.rotate();
        assertEquals(List.of("unchoke a", "choke b"), events);
        assertEquals(2, slots.servedCount());
    }

    @Test
    void aLeavingMemberFreesItsSlotForTheNextInLine() {
        UploadSlots slots = new UploadSlots(1);
        UploadSlots.Member a = member("a");
        UploadSlots.Member b = member("b");
        slots.join(a);
        slots.join(b);
        slots.leave(a);
        assertEquals(List.of("unchoke b"), events);
        slots.rotate();
        assertEquals(List.of("unchoke b"), events, "nobody waits: no rotation");
    }

    @Test
    void aConnectionThatAskedNothingForAWholePeriodYieldsBeforeTheLongestServed() {
        UploadSlots slots = new UploadSlots(3);
        UploadSlots.Member a = member("a");
        UploadSlots.Member b = member("b");
        UploadSlots.Member c = member("c");
        UploadSlots.Member d = member("d");
        slots.join(a);
        slots.join(b);
        slots.join(c);
        slots.join(d);
        slots.rotate(); // nobody has been served a whole period yet: the longest served yields
        assertEquals(List.of("unchoke d", "choke a"), events);
        events.clear();
        slots.requested(b);
        slots.requested(a); // choked: ignored
        slots.rotate();
        assertEquals(List.of("unchoke a", "choke c"), events,
                "c asked for nothing for a whole period; b, served longer, is using its slot; d only just got one");
    }

    @Test
    void idleConnectionsAndTheLongestServedAllYieldWhenEnoughWait() {
        UploadSlots slots = new UploadSlots(3);
        List<UploadSlots.Member> members = List.of(member("a"), member("b"), member("c"), member("d"), member("e"));
        members.forEach(slots::join);
        slots.rotate();
        assertEquals(List.of("unchoke d", "choke a"), events);
        events.clear();
        slots.requested(members.get(1));
        slots.rotate();
        assertEquals(List.of("unchoke e", "unchoke a", "choke c", "choke b"), events,
                "idle c yields, then the longest served b; d, served for less than a period, keeps its slot");
        assertEquals(3, slots.servedCount());
    }

    @Test
    void anIdleConnectionKeepsItsSlotWhileNobodyWaits() {
        UploadSlots slots = new UploadSlots(2);
        UploadSlots.Member a = member("a");
        slots.join(a);
        slots.rotate();
        slots.rotate();
        assertEquals(List.of(), events);
        UploadSlots.Member b = member("b");
        UploadSlots.Member c = member("c");
        slots.join(b);
        slots.join(c);
        slots.requested(a);
        slots.rotate();
        assertEquals(List.of("unchoke c", "choke a"), events, "a has been asking; it still yields as the longest served");
    }
}
