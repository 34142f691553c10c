package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.serving.InitialSeeding.Reveal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InitialSeedingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final VirtualClock clock = new VirtualClock();

    private InitialSeeding<String> seeding(int chunks, int maxUnsent) {
        return new InitialSeeding<>(chunks, maxUnsent, TIMEOUT, clock);
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    @Test
    void aNewPeerIsToldOfOneChunkAndOfUpToTheBudgetOnceItAsks() {
        InitialSeeding<String> seeding = seeding(10, 2);
        assertEquals(bits(0), seeding.peerJoined("a"), "on probation: one chunk");
        assertEquals(List.of(new Reveal<>("a", 1)), seeding.requested("a", 0), "asked: the budget of two");
        assertEquals(bits(2), seeding.peerJoined("b"), "probation reveals are outside the budget");
        assertEquals(List.of(), seeding.requested("b", 2), "b's reveal now counts: the budget is spent");
        assertTrue(seeding.isRevealed("a", 1));
        assertFalse(seeding.isRevealed("b", 1));
    }

    @Test
    void eachSentChunkRevealsANewOneToTheNextPeerInTurn() {
        InitialSeeding<String> seeding = seeding(10, 1);
        for (String p : List.of("a", "b", "c")) {
            BitSet told = seeding.peerJoined(p);
            assertEquals(List.of(), seeding.requested(p, told.nextSetBit(0)));
        }
        assertEquals(List.of(), seeding.chunkSent("a", 0), "three asked against a budget of one");
        assertEquals(List.of(), seeding.chunkSent("b", 1));
        assertEquals(List.of(new Reveal<>("a", 3)), seeding.chunkSent("c", 2));
        assertEquals(List.of(), seeding.requested("a", 3));
        assertEquals(List.of(new Reveal<>("b", 4)), seeding.chunkSent("a", 3));
    }

    /** The point of it: while some chunk was never sent, no chunk is revealed to two peers. */
    @Test
    void noChunkIsSentTwiceBeforeEveryChunkWentOutOnce() {
        int chunks = 50;
        InitialSeeding<Integer> seeding = new InitialSeeding<>(chunks, 4, TIMEOUT, clock);
        ArrayDeque<Reveal<Integer>> requests = new ArrayDeque<>(); // each peer asks for what it is told of
        ArrayDeque<Reveal<Integer>> told = new ArrayDeque<>();
        for (int peer = 0; peer < 7; peer++) {
            BitSet bitfield = seeding.peerJoined(peer);
            for (int i = bitfield.nextSetBit(0); i >= 0; i = bitfield.nextSetBit(i + 1)) {
                told.add(new Reveal<>(peer, i));
            }
        }
        Set<Integer> sent = new HashSet<>();
        List<Reveal<Integer>> last = List.of();
        for (int step = 0; step < 10 * chunks && (!requests.isEmpty() || !told.isEmpty()); step++) {
            while (!told.isEmpty()) {
                Reveal<Integer> r = told.poll();
                requests.add(r);
                told.addAll(seeding.requested(r.peer(), r.index()));
            }
            Reveal<Integer> next = requests.poll();
            assertTrue(sent.add(next.index()), "chunk " + next.index() + " sent twice");
            last = seeding.chunkSent(next.peer(), next.index());
            if (!seeding.isOver()) {
                told.addAll(last);
            }
        }
        assertEquals(chunks, sent.size());
        assertTrue(seeding.isOver());
        // Then a plain seeder: every peer hears of every chunk it was not told of.
        for (int peer = 0; peer < 7; peer++) {
            for (int i = 0; i < chunks; i++) {
                assertTrue(seeding.isRevealed(peer, i));
            }
        }
        assertEquals(7 * chunks - chunks, last.size(), "each chunk was told to one peer before");
        assertEquals(bits(0, 1, 2), seeding.peerJoined(99).get(0, 3), "a newcomer gets the whole BITFIELD");
        assertEquals(chunks, seeding.peerJoined(100).cardinality());
    }

    @Test
    void aPeerThatLeavesGivesItsUnsentChunksToTheNext() {
        InitialSeeding<String> seeding = seeding(10, 1);
        assertEquals(bits(0), seeding.peerJoined("a"));
        seeding.requested("a", 0);
        assertEquals(bits(1), seeding.peerJoined("b"));
        seeding.requested("b", 1);
        assertEquals(List.of(), seeding.peerLeft("a"), "b's chunk fills the budget");
        assertEquals(List.of(new Reveal<>("b", 0)), seeding.chunkSent("b", 1));
        assertEquals(List.of(), seeding.peerLeft("a"), "twice is harmless");
    }

    @Test
    void aDroppedRequestGoesToAPeerNotYetToldOfIt() {
        InitialSeeding<String> seeding = seeding(10, 1);
        seeding.peerJoined("a");
        seeding.requested("a", 0);
        seeding.peerJoined("b");
        seeding.requested("b", 1);
        seeding.chunkSent("b", 1); // budget: a's 0 alone
        assertEquals(List.of(new Reveal<>("b", 0)), seeding.requestDropped("a", 0));
        assertEquals(List.of(), seeding.requestDropped("a", 0), "no longer a's to drop");
        // Everyone was told of 0 now: it waits for someone to ask, and the next chunk is revealed meanwhile.
        assertEquals(List.of(new Reveal<>("a", 2)), seeding.requestDropped("b", 0));
        assertEquals(List.of(), seeding.chunkSent("a", 0), "one unsent chunk at a time, and 2 is still out");
    }

    @Test
    void aChunkEveryoneDroppedIsRevealedToTheNextPeerToJoin() {
        InitialSeeding<String> seeding = seeding(2, 1);
        seeding.peerJoined("a");
        seeding.requested("a", 0);
        assertEquals(List.of(new Reveal<>("a", 1)), seeding.requestDropped("a", 0));
        seeding.chunkSent("a", 1);
        assertFalse(seeding.isOver(), "chunk 0 never went out");
        assertEquals(bits(0), seeding.peerJoined("b"), "so the round cannot end without it");
        seeding.chunkSent("b", 0);
        assertTrue(seeding.isOver());
    }

    @Test
    void aChunkSentWithoutItsRevealStillCounts() {
        InitialSeeding<String> seeding = seeding(3, 1);
        seeding.peerJoined("a");
        seeding.requested("a", 0);
        List<Reveal<String>> out = new ArrayList<>();
        out.addAll(seeding.chunkSent("a", 0));
        out.addAll(seeding.chunkSent("a", 2)); // asked without being told (it had heard of it elsewhere)
        assertEquals(List.of(new Reveal<>("a", 1)), out);
        assertEquals(List.of(new Reveal<>("a", 2)), seeding.chunkSent("a", 1), "round over: told of everything");
        assertTrue(seeding.isOver());
    }

    @Test
    void aRevealNotAskedForInTimeGoesToAnotherPeerAndItsSilentPeerIsToldNothingMoreUntilItAsks() {
        InitialSeeding<String> seeding = seeding(10, 4);
        assertEquals(bits(0), seeding.peerJoined("silent"));
        assertEquals(Optional.of(VirtualClock.ORIGIN.plus(TIMEOUT)), seeding.nextExpiry());
        clock.runFor(Duration.ofSeconds(1));
        assertEquals(bits(1), seeding.peerJoined("asks"));
        assertEquals(List.of(new Reveal<>("asks", 2), new Reveal<>("asks", 3), new Reveal<>("asks", 4)),
                seeding.requested("asks", 1));
        for (int i = 2; i <= 4; i++) {
            seeding.requested("asks", i);
        }
        assertEquals(Optional.of(VirtualClock.ORIGIN.plus(TIMEOUT)), seeding.nextExpiry(), "silent's 0 alone waits");

        clock.runFor(TIMEOUT.minusSeconds(2));
        assertEquals(List.of(), seeding.expire(), "not yet");
        clock.runFor(Duration.ofSeconds(1));
        assertEquals(List.of(), seeding.expire(), "expired, but the budget is spent on what asks asked for");
        assertEquals(Optional.empty(), seeding.nextExpiry());
        assertEquals(List.of(new Reveal<>("asks", 0)), seeding.chunkSent("asks", 1), "withdrawn from silent");
        assertEquals(List.of(new Reveal<>("asks", 5)), seeding.chunkSent("asks", 2), "silent is stalled");

        assertEquals(List.of(), seeding.requested("silent", 0), "the budget is spent on asks' 3, 4, 0 and 5");
        assertEquals(List.of(new Reveal<>("silent", 6)), seeding.chunkSent("asks", 3), "asking brought silent back");
    }

    /** The target's scenario: many silent connections join first; an asker still gets every chunk, late ones once. */
    @Test
    void aHundredSilentPeersHoldAChunkEachOnlyUntilTheirRevealsExpire() {
        int chunks = 256;
        InitialSeeding<String> seeding = seeding(chunks, 4);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, seeding.peerJoined("silent" + i).cardinality());
        }
        ArrayDeque<Integer> told = new ArrayDeque<>();
        seeding.peerJoined("asks").stream().forEach(told::add);
        Set<Integer> got = new HashSet<>();
        // The asker asks for each chunk it hears of and gets it; the silent peers never ask.
        for (int step = 0; step < 10 * chunks && !told.isEmpty(); step++) {
            int index = told.poll();
            seeding.requested("asks", index).forEach(r -> told.add(r.index()));
            got.add(index);
            seeding.chunkSent("asks", index).forEach(r -> told.add(r.index()));
        }
        assertEquals(chunks - 100, got.size(), "all but the hundred the silent peers hold, before they expire");
        assertFalse(seeding.isOver());
        clock.runFor(TIMEOUT);
        seeding.expire().forEach(r -> told.add(r.index()));
        for (int step = 0; step < 10 * chunks && !told.isEmpty(); step++) {
            int index = told.poll();
            seeding.requested("asks", index).forEach(r -> told.add(r.index()));
            assertTrue(got.add(index), "chunk " + index + " twice");
            seeding.chunkSent("asks", index).forEach(r -> {
                if (!seeding.isOver()) {
                    told.add(r.index());
                }
            });
        }
        assertEquals(chunks, got.size());
        assertTrue(seeding.isOver());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new InitialSeeding<String>(4, 0, TIMEOUT, clock));
        assertThrows(IllegalArgumentException.class, () -> new InitialSeeding<String>(4, 1, Duration.ZERO, clock));
        InitialSeeding<String> seeding = seeding(4, 1);
        seeding.peerJoined("a");
        assertThrows(IllegalStateException.class, () -> seeding.peerJoined("a"));
        assertEquals(List.of(), seeding.chunkSent("a", 7));
        assertEquals(List.of(), seeding.peerLeft("nobody"));
        assertEquals(List.of(), seeding.requested("nobody", 1));
    }

    @Test
    void aChunkOutOfTurnGoesOneAtATimeAndNoMoreThanOneBeyondThoseSentInTurn() {
        InitialSeeding<String> seeding = seeding(20, 2);
        assertEquals(bits(0), seeding.peerJoined("reader"));
        assertTrue(seeding.mayHave("reader", 0), "revealed");
        assertTrue(seeding.mayHave("reader", 15), "a first chunk out of turn");
        assertFalse(seeding.mayHave("reader", 16), "one out of turn at a time");
        seeding.chunkSent("reader", 15);
        assertFalse(seeding.mayHave("reader", 16), "one out of turn sent, none in turn yet");
        seeding.requested("reader", 0);
        seeding.chunkSent("reader", 0);
        assertTrue(seeding.mayHave("reader", 16), "one in turn sent: one more out of turn");
        assertFalse(seeding.isRevealed("other", 16));
    }

    @Test
    void aPeerThatAsksForEveryChunkGetsAtMostOneOutOfTurnPerChunkInTurn() {
        InitialSeeding<String> seeding = seeding(100, 4);
        seeding.peerJoined("greedy");
        seeding.peerJoined("other");
        int outOfTurn = 0;
        int inTurn = 0;
        for (int round = 0; round < 100; round++) {
            // Each round it asks for every chunk, the highest (never revealed yet) first; the first the seeder lets it
            // have is sent.
            for (int i = 99; i >= 0; i--) {
                boolean revealed = seeding.isRevealed("greedy", i);
                if (seeding.mayHave("greedy", i) && !seeding.isOver()) {
                    if (revealed) {
                        inTurn++;
                    } else {
                        outOfTurn++;
                    }
                    seeding.requested("greedy", i);
                    seeding.chunkSent("greedy", i);
                    break; // one chunk sent per round
                }
            }
        }
        assertTrue(outOfTurn <= inTurn + 1, outOfTurn + " out of turn, " + inTurn + " in turn");
        assertTrue(outOfTurn > 0, "a reader is served out of turn");
    }

    @Test
    void aDroppedRequestOutOfTurnGoesBackToThePool() {
        InitialSeeding<String> seeding = seeding(3, 1);
        seeding.peerJoined("a");
        assertTrue(seeding.mayHave("a", 2));
        assertEquals(List.of(), seeding.requestDropped("a", 2), "a is on probation with chunk 0 already");
        assertFalse(seeding.isRevealed("a", 2), "no longer counted as told");
        seeding.requested("a", 0);
        assertEquals(List.of(new Reveal<>("a", 1)), seeding.chunkSent("a", 0));
        seeding.requested("a", 1);
        assertEquals(List.of(new Reveal<>("a", 2)), seeding.chunkSent("a", 1), "chunk 2 was revealed in turn");
    }
}
