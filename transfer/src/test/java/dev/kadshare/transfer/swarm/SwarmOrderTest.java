package dev.kadshare.transfer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Urgent ranges jump the queue; sequential order asks mostly in order, keeping a share rarest-first. */
class SwarmOrderTest {
    private static Swarm<String> swarm(int chunks, int perPeer, ChunkOrder order) {
        return new Swarm<>(chunks, perPeer, Integer.MAX_VALUE, new BitSet(), InstantSource.fixed(Instant.EPOCH),
                new SplittableRandom(7), Duration.ofSeconds(20), Pipelining.FIXED, order);
    }

    private static List<Integer> requests(List<SwarmAction<String>> actions) {
        List<Integer> out = new ArrayList<>();
        for (SwarmAction<String> a : actions) {
            if (a instanceof SwarmAction.Request<String> r) {
                out.add(r.index());
            }
        }
        return out;
    }

    @Test
    void anUrgentRangeIsAskedForFirstAsSoonAsARequestFreesUp() {
        Swarm<String> s = swarm(1000, 1, ChunkOrder.RAREST_FIRST);
        int first = requests(s.peerReady("a")).get(0);
        int wanted = first == 500 ? 600 : 500;
        assertEquals(List.of(), requests(s.prioritize(1, wanted, wanted + 2)), "no free request slot yet");
        assertEquals(List.of(wanted), requests(s.chunkVerified("a", first)));
        assertEquals(List.of(wanted + 1), requests(s.chunkVerified("a", wanted)));
        // Moved on: the same ticket now waits for a later range.
        s.prioritize(1, 900, 900);
        assertEquals(List.of(900), requests(s.chunkVerified("a", wanted + 1)));
    }

    @Test
    void aReleasedRangeIsNoLongerUrgent() {
        Swarm<String> s = swarm(1000, 1, ChunkOrder.SEQUENTIAL);
        int first = requests(s.peerReady("a")).get(0);
        s.prioritize(9, 700, 710);
        s.releasePriority(9);
        int next = requests(s.chunkVerified("a", first)).get(0);
        assertTrue(next < 700, "back to the order it had, not the released range: " + next);
    }

    @Test
    void urgentChunksComeOnlyFromPeersThatHoldThem() {
        Swarm<String> s = swarm(100, 1, ChunkOrder.RAREST_FIRST);
        BitSet low = new BitSet();
        low.set(0, 50);
        s.prioritize(1, 80, 81);
        assertEquals(List.of(80), requests(s.peerReady("seed")));
        int fromLow = requests(s.peerReady("low", low)).get(0);
        assertTrue(fromLow < 50, "a peer without the urgent chunk another peer holds is asked for what it has, "
                + "not probed: " + fromLow);
    }

    @Test
    void anUrgentChunkNoPeerAnnouncesIsProbedOneAtATimeAndNotAgainAfterADeclineUntilAChunkComes() {
        Swarm<String> s = swarm(100, 4, ChunkOrder.RAREST_FIRST);
        BitSet told = new BitSet();
        told.set(0);
        assertEquals(List.of(0), requests(s.peerReady("seeder", told)), "an initial seeder tells of one chunk");
        assertEquals(List.of(60), requests(s.prioritize(1, 60, 62)), "one probe, the lowest urgent chunk");
        assertTrue(s.isAwaiting("seeder", 60));
        assertEquals(List.of(), requests(s.chunkRejected("seeder", 60)), "declined: no next probe yet");
        assertEquals(List.of(60), requests(s.chunkVerified("seeder", 0)), "it sent a chunk: probed again");
        assertEquals(List.of(61), requests(s.chunkVerified("seeder", 60)), "the probe answered: the next one");
        s.releasePriority(1);
        assertEquals(List.of(), requests(s.chunkVerified("seeder", 61)), "nothing urgent: no probe");
    }

    @Test
    void sequentialOrderAsksInOrderExceptOneRequestInFive() {
        Swarm<String> s = swarm(1000, 1, ChunkOrder.SEQUENTIAL);
        List<Integer> asked = new ArrayList<>(requests(s.peerReady("a")));
        for (int round = 0; round < 99; round++) {
            asked.addAll(requests(s.chunkVerified("a", asked.get(asked.size() - 1))));
        }
        assertEquals(100, asked.size());
        // Four in five are the first chunk not yet asked for; every fifth is rarest-first (here all are equally rare,
        // so anywhere in the file).
        BitSet before = new BitSet();
        int elsewhere = 0;
        for (int k = 0; k < asked.size(); k++) {
            if ((k + 1) % Swarm.RAREST_SHARE != 0) {
                assertEquals(before.nextClearBit(0), asked.get(k), "request " + k + " in order: " + asked);
            } else if (asked.get(k) != before.nextClearBit(0)) {
                elsewhere++;
            }
            before.set(asked.get(k));
        }
        assertTrue(elsewhere >= 15, "the rarest-first share lands all over the file: " + asked);
    }

    @Test
    void rarestFirstByDefaultIsNotInOrder() {
        Swarm<String> s = swarm(1000, 1, ChunkOrder.RAREST_FIRST);
        List<Integer> asked = new ArrayList<>(requests(s.peerReady("a")));
        for (int round = 0; round < 19; round++) {
            asked.addAll(requests(s.chunkVerified("a", asked.get(asked.size() - 1))));
        }
        assertTrue(asked.stream().filter(i -> i < 20).count() < 10, "random among equals: " + asked);
    }
}
