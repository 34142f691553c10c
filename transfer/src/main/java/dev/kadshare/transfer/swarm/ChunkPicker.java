package dev.kadshare.transfer.swarm;

import java.util.BitSet;

/**
 * Which missing chunk to ask a peer for next: the rarest of those it holds (the fewest ready peers hold it), ties
 * broken at random, never one already requested or verified. The {@link Swarm} tells it how many ready peers hold
 * each chunk and which chunks are requested or verified; it decides nothing else (depths, the endgame, timeouts).
 */
public interface ChunkPicker {
    /** Each chunk in {@code chunks} is now held by one more ready peer ({@code delta} +1) or one fewer (-1). */
    void holdersChanged(BitSet chunks, int delta);

    /** Chunk {@code index} is now held by one more ready peer (its HAVE). */
    void holderAdded(int index);

    /** A request for chunk {@code index} went out: it is not picked again until {@link #released}. */
    void requested(int index);

    /** No request for chunk {@code index} is outstanding any more and it is still missing: pick it again. */
    void released(int index);

    /** Chunk {@code index} is verified: never picked again. */
    void verified(int index);

    /** True when chunk {@code index} is missing and not requested from anyone: it may be picked. */
    boolean isPickable(int index);

    /** True while some missing chunk is not requested from anyone (else the swarm is in its endgame). */
    boolean hasUnrequested();

    /**
     * The rarest chunk in {@code has} and not in {@code avoid} that is neither requested nor verified, a uniform
     * choice among equally rare ones; -1 if there is none. The chunks in {@code has} must already be counted (the
     * asking peer is ready).
     */
    int pick(BitSet has, BitSet avoid);
}
