package dev.kadshare.dht.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final SplittableRandom random = new SplittableRandom(7);
    private final DhtKey own = DhtKey.generate(random);
    private final AtomicInteger derived = new AtomicInteger();
    private final SessionKeys counted = (ours, theirs) -> {
        derived.incrementAndGet();
        return X25519SessionKeys.INSTANCE.derive(ours, theirs);
    };
    /** One slot: every key takes the same one. */
    private final Sessions sessions = new Sessions(own, counted, 1);

    private byte[] key() {
        return DhtKey.generate(random).publicKey();
    }

    @Test
    void aKeyThatOnlyAskedDoesNotTakeTheSlotOfOneThatAnsweredUs() {
        byte[] contact = key();
        byte[] expected = X25519SessionKeys.INSTANCE.derive(own, contact).orElseThrow();
        assertArrayEquals(expected, sessions.keyFor(contact, Sessions.Standing.ANSWERED_US).orElseThrow());
        byte[] stranger = key();
        assertTrue(sessions.keyFor(stranger, Sessions.Standing.ASKED_US).isPresent(), "derived for its answer");
        assertTrue(sessions.known(stranger).isEmpty(), "but not kept");
        assertArrayEquals(expected, sessions.known(contact).orElseThrow());
        sessions.keyFor(stranger, Sessions.Standing.ASKED_US);
        assertEquals(3, derived.get(), "a stranger's key is derived again each time");

        byte[] other = key();
        sessions.keyFor(other, Sessions.Standing.ANSWERED_US);
        assertTrue(sessions.known(contact).isEmpty(), "one that answered us takes any slot");
        assertTrue(sessions.known(other).isPresent());
    }

    @Test
    void aKeyThatAskedIsKeptInAFreeSlotAndRaisedOnceItAnswersUs() {
        byte[] asker = key();
        sessions.keyFor(asker, Sessions.Standing.ASKED_US);
        assertTrue(sessions.known(asker).isPresent());
        byte[] next = key();
        sessions.keyFor(next, Sessions.Standing.ASKED_US);
        assertTrue(sessions.known(next).isPresent(), "strangers take each other's slots");
        assertTrue(sessions.known(asker).isEmpty());

        assertTrue(sessions.keyFor(next, Sessions.Standing.ANSWERED_US).isPresent());
        assertEquals(2, derived.get(), "raised from the cache, not derived again");
        sessions.keyFor(key(), Sessions.Standing.ASKED_US);
        assertTrue(sessions.known(next).isPresent(), "now kept through strangers' requests");
    }

    @Test
    void anAnswerThatFailsItsCheckPushesNoKeptKeyOut() {
        byte[] contact = key();
        assertTrue(sessions.proven(contact, Sessions.Standing.ANSWERED_US, session -> true).isPresent());
        assertTrue(sessions.proven(contact, Sessions.Standing.ANSWERED_US, session -> true).isPresent());
        assertEquals(1, derived.get(), "kept once proven, and found again");

        byte[] madeUp = key();
        assertTrue(sessions.proven(madeUp, Sessions.Standing.ANSWERED_US, session -> false).isEmpty(), "a forged answer under a made-up key");
        assertEquals(2, derived.get(), "derived to check it");
        assertTrue(sessions.known(madeUp).isEmpty(), "not kept");
        assertTrue(sessions.known(contact).isPresent(), "the key of the node that answered us stays");
    }

    @Test
    void anAnswerThatFailsItsCheckRaisesNoKeyThatOnlyAsked() {
        byte[] asker = key();
        sessions.keyFor(asker, Sessions.Standing.ASKED_US);
        assertTrue(sessions.proven(asker, Sessions.Standing.ANSWERED_US, session -> false).isEmpty(), "a forged answer under the asker's key");
        assertEquals(1, derived.get(), "checked under the key kept");

        sessions.keyFor(key(), Sessions.Standing.ASKED_US);
        assertTrue(sessions.known(asker).isEmpty(), "still a stranger's: another stranger's request took its slot");
    }

    /**
     * A PONG or an INTRODUCED is taken from an id not bound to its address, so any node we ask can answer one under a
     * key it made for a chosen slot, with a tag that holds: kept as one that only asked, it pushes no key of a node
     * that answered us out, and another stranger's request can take its slot; a kept key is never lowered by it.
     */
    @Test
    void anUnboundAnswerThatProvesItselfPushesNoKeyOfOneThatAnsweredUsOut() {
        byte[] contact = key();
        assertTrue(sessions.proven(contact, Sessions.Standing.ANSWERED_US, session -> true).isPresent());
        byte[] stranger = key();
        assertTrue(sessions.proven(stranger, Sessions.Standing.ASKED_US, session -> true).isPresent(), "its answer holds");
        assertTrue(sessions.known(stranger).isEmpty(), "but its key is not kept");
        assertTrue(sessions.known(contact).isPresent(), "the key of the node that answered us stays");

        assertTrue(sessions.proven(contact, Sessions.Standing.ASKED_US, session -> true).isPresent());
        sessions.keyFor(key(), Sessions.Standing.ASKED_US);
        assertTrue(sessions.known(contact).isPresent(), "an unbound answer under a kept key does not lower it");

        Sessions empty = new Sessions(own, counted, 1);
        assertTrue(empty.proven(stranger, Sessions.Standing.ASKED_US, session -> true).isPresent());
        assertTrue(empty.known(stranger).isPresent(), "kept in a free slot");
        byte[] asker = key();
        empty.keyFor(asker, Sessions.Standing.ASKED_US);
        assertTrue(empty.known(asker).isPresent(), "as one that only asked: another's request takes its slot");
        assertTrue(empty.known(stranger).isEmpty());
    }

    @Test
    void aKeyOfTheWrongLengthOrSmallOrderGivesNoneAndIsNotKept() {
        assertTrue(sessions.keyFor(new byte[31], Sessions.Standing.ANSWERED_US).isEmpty());
        assertTrue(sessions.keyFor(new byte[32], Sessions.Standing.ANSWERED_US).isEmpty());
        assertTrue(sessions.known(new byte[32]).isEmpty());
        assertTrue(sessions.proven(new byte[31], Sessions.Standing.ANSWERED_US, session -> true).isEmpty());
        assertTrue(sessions.proven(new byte[32], Sessions.Standing.ANSWERED_US, session -> true).isEmpty());
        assertTrue(sessions.known(new byte[32]).isEmpty());
    }
}
