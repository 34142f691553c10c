package dev.kadshare.transfer.swarm;

/** What the swarm asks its I/O adapter to do after an event. */
public sealed interface SwarmAction<P> {
    /** Send a request for chunk {@code index} to {@code peer}. */
    record Request<P>(P peer, int index) implements SwarmAction<P> {
    }

    /**
     * Tell {@code peer} we no longer want chunk {@code index} (another peer delivered it in the endgame, or
     * the request stalled). The chunk may still arrive; {@link Swarm#takeCancelled} says it is expected.
     */
    record Cancel<P>(P peer, int index) implements SwarmAction<P> {
    }

    /** Disconnect {@code peer} and never ask it again. */
    record Drop<P>(P peer, String reason) implements SwarmAction<P> {
    }

    /** Every chunk is verified. Emitted once; the swarm ignores every later event. */
    record Complete<P>() implements SwarmAction<P> {
    }

    /** No usable peer is left. Emitted once; the swarm ignores every later event. */
    record Fail<P>(String reason) implements SwarmAction<P> {
    }
}
