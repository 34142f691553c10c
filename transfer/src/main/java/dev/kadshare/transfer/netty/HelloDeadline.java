package dev.kadshare.transfer.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The time a serving connection has to say HELLO, on its event loop: started on accept, started again when the link
 * below is ready ({@link LinkReady}), cancelled by the HELLO or the close. Confined to the loop.
 */
final class HelloDeadline {
    private final EventExecutor loop;
    private final Duration timeout;
    private final Runnable expired;
    private Optional<ScheduledFuture<?>> pending = Optional.empty();

    HelloDeadline(EventExecutor loop, Duration timeout, Runnable expired) {
        this.loop = loop;
        this.timeout = timeout;
        this.expired = expired;
    }

    /** Starts the deadline, or starts it again from now. */
    void restart() {
        cancel();
        pending = Optional.of(loop.schedule(expired, timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    void cancel() {
        pending.ifPresent(f -> f.cancel(false));
        pending = Optional.empty();
    }

    Duration timeout() {
        return timeout;
    }
}
