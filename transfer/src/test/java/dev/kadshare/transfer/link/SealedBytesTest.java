package dev.kadshare.transfer.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealedBytesTest {
    private static final int RECORD = RecordLayer.sealedSize(RecordLayer.MAX_PLAINTEXT);

    private final List<String> woken = new ArrayList<>();

    private Runnable waiter(String name) {
        return () -> woken.add(name);
    }

    @Test
    void roomIsTakenUpToTheBoundAndNoFurther() {
        SealedBytes sealed = new SealedBytes(3L * RECORD);
        assertEquals(SealedBytes.Take.TAKEN, sealed.takeOrWait(RECORD, waiter("a")));
        assertEquals(SealedBytes.Take.TAKEN, sealed.takeOrWait(2 * RECORD, waiter("b")));
        assertEquals(SealedBytes.Take.WAITING, sealed.takeOrWait(1, waiter("c")));
        assertEquals(3L * RECORD, sealed.held());
        assertEquals(List.of(), woken);
    }

    @Test
    void roomGivenBackWakesAsManyWaitersAsARecordEachFits() {
        SealedBytes sealed = new SealedBytes(3L * RECORD);
        sealed.takeOrWait(3 * RECORD, waiter("taker"));
        for (String name : List.of("a", "b", "c")) {
            assertEquals(SealedBytes.Take.WAITING, sealed.takeOrWait(RECORD, waiter(name)));
        }
        sealed.give(RECORD);
        assertEquals(List.of("a"), woken, "one record's room: the first waiter");
        sealed.give(2 * RECORD);
        assertEquals(List.of("a", "b", "c"), woken, "each woken once, in order");
        sealed.give(0);
        assertEquals(3, woken.size(), "a waiter is told once; it asks again if it still needs room");
        assertEquals(0, sealed.held());
    }

    @Test
    void aWaiterWokenAsksAgainAndMayWaitAgain() {
        SealedBytes sealed = new SealedBytes(2L * RECORD);
        sealed.takeOrWait(2 * RECORD, waiter("taker"));
        sealed.takeOrWait(RECORD, waiter("a"));
        sealed.give(RECORD);
        assertEquals(List.of("a"), woken);
        // someone else took the room before the woken link asked again
        assertEquals(SealedBytes.Take.TAKEN, sealed.takeOrWait(RECORD, waiter("other")));
        assertEquals(SealedBytes.Take.WAITING, sealed.takeOrWait(RECORD, waiter("a again")));
        sealed.give(RECORD);
        assertEquals(List.of("a", "a again"), woken);
    }

    @Test
    void aWaiterCancelledIsNeitherKeptNorToldAndTakesNoWakeUp() {
        SealedBytes sealed = new SealedBytes(2L * RECORD);
        sealed.takeOrWait(2 * RECORD, waiter("taker"));
        Runnable gone = waiter("gone");
        sealed.takeOrWait(RECORD, gone);
        sealed.takeOrWait(RECORD, waiter("live"));
        assertEquals(2, sealed.waiting());
        sealed.cancel(gone);
        assertEquals(1, sealed.waiting(), "a closed link waits no more");
        sealed.give(RECORD);
        assertEquals(List.of("live"), woken, "the one record's room goes to a link still there");
    }

    @Test
    void aBoundMustHoldAWholeRecord() {
        assertThrows(IllegalArgumentException.class, () -> new SealedBytes(RECORD - 1));
        assertEquals(RECORD, new SealedBytes(RECORD).bound());
    }
}
