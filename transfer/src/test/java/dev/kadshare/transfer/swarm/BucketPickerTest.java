package dev.kadshare.transfer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BucketPickerTest {
    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    private static BitSet all(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    private static final BitSet NONE = new BitSet();

    @Test
    void picksTheRarestChunkThePeerHolds() {
        BucketPicker picker = new BucketPicker(6, NONE, new SplittableRandom(1));
        picker.holdersChanged(all(6), +1);
        picker.holdersChanged(bits(0, 1, 2, 4, 5), +1);
        picker.holdersChanged(bits(0, 1, 4, 5), +1);
        picker.holderAdded(4);
        // holders: 0:3 1:3 2:2 3:1 4:4 5:3
        assertEquals(3, picker.pick(all(6), NONE));
        assertEquals(2, picker.pick(bits(0, 2, 4), NONE));
        assertEquals(4, picker.pick(bits(4), NONE));
        assertEquals(-1, picker.pick(NONE, NONE));
        assertEquals(2, picker.pick(all(6), bits(3)), "an avoided chunk is passed over");
    }

    @Test
    void aChunkThatLosesHoldersBecomesRarerAgain() {
        BucketPicker picker = new BucketPicker(3, NONE, new SplittableRandom(2));
        picker.holdersChanged(all(3), +1);
        picker.holdersChanged(bits(0, 1), +1);
        assertEquals(2, picker.pick(all(3), NONE));
        picker.holdersChanged(bits(0, 2), +1); // 0:3 1:2 2:2
        picker.holdersChanged(bits(0, 1, 2), -1); // 0:2 1:1 2:1
        picker.holdersChanged(bits(0, 2), -1); // 0:1 1:1 2:0
        picker.requested(1);
        assertEquals(0, picker.pick(bits(0, 1), NONE));
    }

    @Test
    void requestedAndVerifiedChunksAreNotPickedAndAReleasedOneIs() {
        BucketPicker picker = new BucketPicker(4, bits(0), new SplittableRandom(3));
        picker.holdersChanged(all(4), +1);
        assertEquals(-1, picker.pick(bits(0), NONE), "resumed chunks are never picked");
        picker.requested(1);
        picker.requested(2);
        assertEquals(3, picker.pick(all(4), NONE));
        picker.requested(3);
        assertFalse(picker.hasUnrequested(), "the endgame");
        assertEquals(-1, picker.pick(all(4), NONE));
        picker.released(2);
        assertTrue(picker.hasUnrequested());
        assertEquals(2, picker.pick(all(4), NONE));
        picker.verified(2);
        picker.verified(2);
        picker.released(2);
        assertEquals(-1, picker.pick(all(4), NONE), "verified: gone for good, however often told");
        assertFalse(picker.hasUnrequested());
        picker.released(1);
        picker.holderAdded(1);
        assertEquals(1, picker.pick(all(4), NONE));
    }

    @Test
    void tiesAreAUniformChoice() {
        int[] picked = new int[8];
        for (long seed = 0; seed < 4000; seed++) {
            BucketPicker picker = new BucketPicker(8, NONE, new SplittableRandom(seed));
            picker.holdersChanged(all(8), +1);
            picker.holdersChanged(bits(0, 1, 2, 3), +1); // 4..7 are the rarest
            picked[picker.pick(all(8), NONE)]++;
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(0, picked[i]);
        }
        for (int i = 4; i < 8; i++) {
            // 1000 expected each; a fair choice lands within 15% with overwhelming probability.
            assertTrue(picked[i] > 850 && picked[i] < 1150, "chunk " + i + " picked " + picked[i] + " times of 4000");
        }
    }

    /**
     * Random sequences of every kind of event: each pick is a chunk the peer holds, not requested, verified or
     * avoided, exactly as rare as the rarest such chunk by an independent count, and -1 only when there is none.
     */
    @Test
    void everyPickIsAsRareAsTheRarestCandidateThroughRandomEvents() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 30; round++) {
            int chunks = 1 + random.nextInt(300);
            int peers = 1 + random.nextInt(12);
            BitSet resumed = new BitSet();
            for (int i = 0; i < chunks; i++) {
                if (random.nextInt(10) == 0) {
                    resumed.set(i);
                }
            }
            BucketPicker picker = new BucketPicker(chunks, resumed, random.split());
            int[] holders = new int[chunks];
            BitSet verified = (BitSet) resumed.clone();
            BitSet requested = new BitSet();
            BitSet[] has = new BitSet[peers];
            boolean[] ready = new boolean[peers];
            for (int p = 0; p < peers; p++) {
                has[p] = new BitSet();
            }
            for (int step = 0; step < 2000; step++) {
                int p = random.nextInt(peers);
                int c = random.nextInt(chunks);
                switch (random.nextInt(7)) {
                    case 0 -> { // ready with a random bitfield, or lost
                        if (ready[p]) {
                            picker.holdersChanged(has[p], -1);
                            change(holders, has[p], -1);
                            ready[p] = false;
                        } else {
                            has[p] = new BitSet();
                            for (int i = 0; i < chunks; i++) {
                                if (random.nextInt(3) == 0) {
                                    has[p].set(i);
                                }
                            }
                            picker.holdersChanged(has[p], +1);
                            change(holders, has[p], +1);
                            ready[p] = true;
                        }
                    }
                    case 1 -> { // HAVE
                        if (ready[p] && !has[p].get(c)) {
                            has[p].set(c);
                            holders[c]++;
                            picker.holderAdded(c);
                        }
                    }
                    case 2 -> {
                        if (!verified.get(c)) {
                            requested.clear(c);
                            picker.released(c);
                        }
                    }
                    case 3 -> {
                        verified.set(c);
                        requested.clear(c);
                        picker.verified(c);
                    }
                    default -> {
                        if (!ready[p]) {
                            continue;
                        }
                        BitSet avoid = random.nextInt(4) == 0 ? bits(c) : NONE;
                        int pick = picker.pick(has[p], avoid);
                        int rarest = Integer.MAX_VALUE;
                        for (int i = has[p].nextSetBit(0); i >= 0; i = has[p].nextSetBit(i + 1)) {
                            if (!verified.get(i) && !requested.get(i) && !avoid.get(i)) {
                                rarest = Math.min(rarest, holders[i]);
                            }
                        }
                        if (rarest == Integer.MAX_VALUE) {
                            assertEquals(-1, pick, "nothing to pick");
                        } else {
                            assertTrue(pick >= 0 && has[p].get(pick) && !verified.get(pick) && !requested.get(pick)
                                    && !avoid.get(pick), "a candidate: " + pick);
                            assertEquals(rarest, holders[pick], "as rare as the rarest candidate");
                            requested.set(pick);
                            picker.requested(pick);
                        }
                    }
                }
                BitSet missing = new BitSet();
                missing.set(0, chunks);
                missing.andNot(verified);
                missing.andNot(requested);
                assertEquals(!missing.isEmpty(), picker.hasUnrequested());
            }
        }
    }

    private static void change(int[] holders, BitSet chunks, int delta) {
        for (int i = chunks.nextSetBit(0); i >= 0; i = chunks.nextSetBit(i + 1)) {
            holders[i] += delta;
        }
    }
}
