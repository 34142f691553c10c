package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.serving.InitialSeeding.Reveal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InitialSeedingTest {
    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    @Test
    void firstPeerIsToldOfAsManyChunksAsMayBeUnsentThenTheOthersWait() {
        InitialSeeding<String> seeding = new InitialSeeding<>(10, 2);
        assertEquals(bits(0, 1), seeding.peerJoined("a"));
        assertEquals(new BitSet(), seeding.peerJoined("b"), "both reveals are taken until a chunk goes out");
        assertTrue(seeding.isRevealed("a", 1));
        assertFalse(seeding.isRevealed("b", 1));
    }

    @Test
    void eachSentChunkRevealsANewOneToTheNextPeerInTurn() {
        InitialSeeding<String> seeding = new InitialSeeding<>(10, 1);
        assertEquals(bits(0), seeding.peerJoined("a"));
        seeding.peerJoined("b");
        seeding.peerJoined("c");
        assertEquals(List.of(new Reveal<>("b", 1)), seeding.chunkSent("a", 0));
        assertEquals(List.of(new Reveal<>("c", 2)), seeding.chunkSent("b", 1));
        assertEquals(List.of(new Reveal<>("a", 3)), seeding.chunkSent("c", 2));
    }

    /** The point of it: while some chunk was never sent, no chunk is revealed to two peers. */
    @Test
    void noChunkIsSentTwiceBeforeEveryChunkWentOutOnce() {
        int chunks = 50;
        InitialSeeding<Integer> seeding = new InitialSeeding<>(chunks, 4);
        ArrayDeque<Reveal<Integer>> requests = new ArrayDeque<>(); // each peer asks for what it is told of
        for (int peer = 0; peer < 7; peer++) {
            BitSet told = seeding.peerJoined(peer);
            for (int i = told.nextSetBit(0); i >= 0; i = told.nextSetBit(i + 1)) {
                requests.add(new Reveal<>(peer, i));
            }
        }
        Set<Integer> sent = new HashSet<>();
        List<Reveal<Integer>> last = List.of();
        for (int step = 0; step < chunks && !requests.isEmpty(); step++) {
            Reveal<Integer> next = requests.poll();
            assertTrue(sent.add(next.index()), "chunk " + next.index() + " sent twice");
            last = seeding.chunkSent(next.peer(), next.index());
            if (!seeding.isOver()) {
                requests.addAll(last);
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
        InitialSeeding<String> seeding = new InitialSeeding<>(10, 1);
        assertEquals(bits(0), seeding.peerJoined("a"));
        seeding.peerJoined("b");
        assertEquals(List.of(new Reveal<>("b", 0)), seeding.peerLeft("a"));
        assertEquals(List.of(), seeding.peerLeft("a"), "twice is harmless");
    }

    @Test
    void aDroppedRequestGoesToAPeerNotYetToldOfIt() {
        InitialSeeding<String> seeding = new InitialSeeding<>(10, 1);
        seeding.peerJoined("a");
        seeding.peerJoined("b");
        assertEquals(List.of(new Reveal<>("b", 0)), seeding.requestDropped("a", 0));
        assertEquals(List.of(), seeding.requestDropped("a", 0), "no longer a's to drop");
        // Everyone was told of 0 now: it waits for someone to ask, and the next chunk is revealed meanwhile.
        assertEquals(List.of(new Reveal<>("a", 1)), seeding.requestDropped("b", 0));
        List<Reveal<String>> afterSend = seeding.chunkSent("a", 0);
        assertEquals(List.of(), afterSend, "one unsent chunk at a time, and 1 is still out");
    }

    @Test
    void aChunkEveryoneDroppedIsRevealedToTheNextPeerToJoin() {
        InitialSeeding<String> seeding = new InitialSeeding<>(2, 1);
        seeding.peerJoined("a");
        assertEquals(List.of(new Reveal<>("a", 1)), seeding.requestDropped("a", 0));
        seeding.chunkSent("a", 1);
        assertFalse(seeding.isOver(), "chunk 0 never went out");
        assertEquals(bits(0), seeding.peerJoined("b"), "so the round cannot end without it");
        seeding.chunkSent("b", 0);
        assertTrue(seeding.isOver());
    }

    @Test
    void aChunkSentWithoutItsRevealStillCounts() {
        InitialSeeding<String> seeding = new InitialSeeding<>(3, 1);
        seeding.peerJoined("a");
        List<Reveal<String>> out = new ArrayList<>();
        out.addAll(seeding.chunkSent("a", 0));
        out.addAll(seeding.chunkSent("a", 2)); // asked without being told (it had heard of it elsewhere)
        assertEquals(List.of(new Reveal<>("a", 1)), out);
        assertEquals(List.of(new Reveal<>("a", 2)), seeding.chunkSent("a", 1), "round over: told of everything");
        assertTrue(seeding.isOver());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new InitialSeeding<String>(4, 0));
        InitialSeeding<String> seeding = new InitialSeeding<>(4, 1);
        seeding.peerJoined("a");
        assertThrows(IllegalStateException.class, () -> seeding.peerJoined("a"));
        assertEquals(List.of(), seeding.chunkSent("a", 7));
        assertEquals(List.of(), seeding.peerLeft("nobody"));
    }
}
