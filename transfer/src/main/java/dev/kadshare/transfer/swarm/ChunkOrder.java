package dev.kadshare.transfer.swarm;

/** In what order a download asks for the chunks nobody waits for urgently. */
public enum ChunkOrder {
    /** The rarest chunk a peer holds, ties at random: what keeps a swarm healthy. */
    RAREST_FIRST,
    /**
     * Mostly the first missing chunk a peer holds, so the file can be played from the start while it downloads;
     * one request in {@link Swarm#RAREST_SHARE} is still rarest-first, so rare chunks keep spreading.
     */
    SEQUENTIAL
}
