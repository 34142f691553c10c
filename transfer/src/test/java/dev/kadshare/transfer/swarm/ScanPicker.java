package dev.kadshare.transfer.swarm;

import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * The picker the swarm had before {@link BucketPicker}: a count per chunk, and each pick scans every unrequested
 * chunk for the rarest the peer holds (reservoir sampling among equals). The reference the bucketed picker is
 * checked and timed against.
 */
public final class ScanPicker implements ChunkPicker {
    private final RandomGenerator random;
    private final int[] holders;
    private final BitSet verified = new BitSet();
    private final BitSet unrequested = new BitSet();

    public ScanPicker(int chunkCount, BitSet alreadyVerified, RandomGenerator random) {
        this.random = random;
        this.holders = new int[chunkCount];
        verified.or(alreadyVerified.get(0, chunkCount));
        unrequested.set(0, chunkCount);
        unrequested.andNot(verified);
    }

    @Override
    public void holdersChanged(BitSet chunks, int delta) {
        for (int i = chunks.nextSetBit(0); i >= 0 && i < holders.length; i = chunks.nextSetBit(i + 1)) {
            holders[i] += delta;
        }
    }

    @Override
    public void holderAdded(int index) {
        holders[index]++;
    }

    @Override
    public void requested(int index) {
        unrequested.clear(index);
    }

    @Override
    public void released(int index) {
        if (!verified.get(index)) {
            unrequested.set(index);
        }
    }

    @Override
    public void verified(int index) {
        verified.set(index);
        unrequested.clear(index);
    }

    @Override
    public boolean isPickable(int index) {
        return unrequested.get(index);
    }

    @Override
    public boolean hasUnrequested() {
        return !unrequested.isEmpty();
    }

    @Override
    public int pick(BitSet has, BitSet avoid) {
        int pick = -1;
        int best = Integer.MAX_VALUE;
        int ties = 0;
        for (int i = unrequested.nextSetBit(0); i >= 0; i = unrequested.nextSetBit(i + 1)) {
            if (!has.get(i) || avoid.get(i)) {
                continue;
            }
            if (holders[i] < best) {
                best = holders[i];
                pick = i;
                ties = 1;
            } else if (holders[i] == best && random.nextInt(++ties) == 0) {
                pick = i;
            }
        }
        return pick;
    }
}
