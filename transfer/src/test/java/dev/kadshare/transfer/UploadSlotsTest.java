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
}
