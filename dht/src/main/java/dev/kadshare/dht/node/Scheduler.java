package dev.kadshare.dht.node;

import java.time.Duration;

/** Timers for the sans-I/O core: an event loop in production, a virtual-time queue in simulation. */
public interface Scheduler {
    /** Runs {@code task} on the node's own thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }
}
