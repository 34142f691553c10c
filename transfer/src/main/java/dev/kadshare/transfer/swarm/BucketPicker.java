package dev.kadshare.transfer.swarm;

import java.util.Arrays;
import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * A {@link ChunkPicker} that keeps the missing chunks sorted by availability, as libtorrent's piece picker does: one
 * array in which bucket {@code a} (the chunks exactly {@code a} ready peers hold) is a contiguous run, rarest buckets
 * first, each bucket in random order. A chunk whose count changes moves to the edge of its bucket and across the
 * boundary, then swaps with a random member of its new bucket, so every bucket stays a uniformly random permutation
 * at O(1) per HAVE. Picking walks the array from the rarest held bucket and takes the first chunk the peer holds: the
 * first of a random order among the equally rare ones it holds is a uniform choice, and the walk stops there rather
 * than scanning every missing chunk as a per-request scan does.
 */
public final class BucketPicker implements ChunkPicker {
    private final RandomGenerator random;
    /** The missing chunks, bucket by bucket; verified chunks leave it from the end. */
    private final int[] order;
    /** Where each chunk is in {@link #order}; -1 once it is verified. */
    private final int[] position;
    /** How many ready peers hold each missing chunk. */
    private final int[] holders;
    /** Bucket {@code a} is {@code order[start[a]] .. order[start[a + 1] - 1]}; the last entry is {@link #size}. */
    private int[] start;
    /** The highest bucket with a boundary. */
    private int top;
    /** Missing chunks in {@link #order}. */
    private int size;
    private final BitSet requested = new BitSet();
    private int requestedCount;

    /** @param random orders each bucket, which breaks ties between equally rare chunks */
    public BucketPicker(int chunkCount, BitSet alreadyVerified, RandomGenerator random) {
        this.random = random;
        this.order = new int[chunkCount];
        this.position = new int[chunkCount];
        this.holders = new int[chunkCount];
        Arrays.fill(position, -1);
        for (int i = alreadyVerified.nextClearBit(0); i < chunkCount; i = alreadyVerified.nextClearBit(i + 1)) {
            // Inside-out Fisher-Yates: bucket 0 starts as a uniformly random permutation.
            int j = random.nextInt(size + 1);
            if (j < size) {
                order[size] = order[j];
                position[order[size]] = size;
            }
            order[j] = i;
            position[i] = j;
            size++;
        }
        this.start = new int[] {0, size};
    }

    @Override
    public void holdersChanged(BitSet chunks, int delta) {
        for (int i = chunks.nextSetBit(0); i >= 0 && i < position.length; i = chunks.nextSetBit(i + 1)) {
            if (position[i] < 0) {
                continue;
            }
            if (delta > 0) {
                up(i);
            } else if (holders[i] > 0) {
                down(i);
            }
        }
    }

    @Override
    public void holderAdded(int index) {
        if (index >= 0 && index < position.length && position[index] >= 0) {
            up(index);
        }
    }

    @Override
    public void requested(int index) {
        if (position[index] >= 0 && !requested.get(index)) {
            requested.set(index);
            requestedCount++;
        }
    }

    @Override
    public void released(int index) {
        if (requested.get(index)) {
            requested.clear(index);
            requestedCount--;
        }
    }

    @Override
    public void verified(int index) {
        if (position[index] < 0) {
            return;
        }
        released(index);
        // Carried across every higher bucket to the end of the array, which then shrinks by one.
        for (int b = holders[index]; b <= top; b++) {
            swap(position[index], start[b + 1] - 1);
            start[b + 1]--;
        }
        size--;
        position[index] = -1;
    }

    @Override
    public boolean isPickable(int index) {
        return index >= 0 && index < position.length && position[index] >= 0 && !requested.get(index);
    }

    @Override
    public boolean hasUnrequested() {
        return size > requestedCount;
    }

    @Override
    public int pick(BitSet has, BitSet avoid) {
        // Bucket 0 holds what no ready peer holds: never what a ready peer can give.
        for (int i = start[1]; i < size; i++) {
            int chunk = order[i];
            if (has.get(chunk) && !requested.get(chunk) && !avoid.get(chunk)) {
                return chunk;
            }
        }
        return -1;
    }

    /** One more holder: the last place of its bucket, then the first of the next one, then a random place there. */
    private void up(int chunk) {
        int a = holders[chunk];
        if (a + 1 > top) {
            start = Arrays.copyOf(start, a + 3);
            start[a + 2] = size;
            top = a + 1;
        }
        swap(position[chunk], start[a + 1] - 1);
        start[a + 1]--;
        holders[chunk] = a + 1;
        settle(chunk, a + 1);
    }

    /** One fewer holder: the first place of its bucket, then the last of the one before, then a random place there. */
    private void down(int chunk) {
        int a = holders[chunk];
        swap(position[chunk], start[a]);
        start[a]++;
        holders[chunk] = a - 1;
        settle(chunk, a - 1);
    }

    /** Swaps {@code chunk}, just moved into bucket {@code b}, with a uniformly chosen member of it (itself included). */
    private void settle(int chunk, int b) {
        int from = start[b];
        int to = start[b + 1];
        swap(position[chunk], from + random.nextInt(to - from));
    }

    private void swap(int i, int j) {
        int a = order[i];
        int b = order[j];
        order[i] = b;
        order[j] = a;
        position[b] = i;
        position[a] = j;
    }
}
