package dev.kadshare.dht.net;

import dev.kadshare.dht.node.Scheduler;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Timers on a Netty event loop, so tasks run on the same thread as the node's I/O. */
public final class EventLoopScheduler implements Scheduler {
    private final EventLoop loop;

    public EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
