package dev.kadshare.transfer.swarm;

/** How many requests a {@link Swarm} keeps outstanding at one peer, up to its per-peer cap. */
public enum Pipelining {
    /**
     * As many as the peer answers in one round trip, measured on the swarm's clock ({@link PipelineDepth}): what a
     * download uses.
     */
    ADAPTIVE,
    /**
     * Always the cap, whatever the peer's pace, as clients without a pace estimate do: a baseline to compare the
     * adaptive depth with, and a picker whose events are stepped by hand with no meaningful time between them.
     */
    FIXED
}
