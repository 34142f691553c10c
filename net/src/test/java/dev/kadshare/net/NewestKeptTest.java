package dev.kadshare.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NewestKeptTest {
    @Test
    void theNewestAreKeptAndOneHeardAgainBecomesTheNewest() {
        NewestKept<Integer> kept = new NewestKept<>(3);
        assertTrue(kept.add(1));
        assertTrue(kept.add(2));
        assertTrue(kept.add(3));
        assertFalse(kept.add(1), "heard again: not new");
        assertEquals(List.of(2, 3, 1), List.copyOf(kept.elements()));
        assertTrue(kept.add(4));
        assertEquals(List.of(3, 1, 4), List.copyOf(kept.elements()), "the oldest makes room, not the one heard again");
    }
}
