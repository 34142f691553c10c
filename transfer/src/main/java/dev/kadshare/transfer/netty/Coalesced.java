package dev.kadshare.transfer.netty;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * A task run once the loop has handled the events at hand, however often it was asked for meanwhile: a burst of
 * changes (in a big swarm, mostly HAVEs from dozens of peers, or chunks going out) costs one run, not one each.
 * Loop-only.
 */
final class Coalesced {
    private final EventLoop loop;
    private final Runnable task;
    /** A run is queued on the loop. */
    private boolean pending;

    Coalesced(EventLoop loop, Runnable task) {
        this.loop = loop;
        this.task = task;
    }

    /** Runs the task once the loop has handled the events at hand, unless a run is queued already. */
    void request() {
        if (pending) {
            return;
        }
        pending = true;
        try {
            loop.execute(this::runNow);
        } catch (RejectedExecutionException shuttingDown) {
            runNow();
        }
    }

    /** Runs the task at once: when the last run must already be done. */
    void runNow() {
        pending = false;
        task.run();
    }
}
