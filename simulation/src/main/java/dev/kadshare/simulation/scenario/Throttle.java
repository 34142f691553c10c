package dev.kadshare.simulation.scenario;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Runs tasks 0..count-1 with at most {@code concurrency} in flight; each finished task starts the next. */
final class Throttle {
    private final int count;
    private final IntFunction<CompletableFuture<?>> task;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private Throttle(int count, IntFunction<CompletableFuture<?>> task) {
        this.count = count;
        this.task = task;
    }

    /** Completes when every task has completed, successfully or not. */
    static CompletableFuture<Void> run(int count, int concurrency, IntFunction<CompletableFuture<?>> task) {
        Throttle t = new Throttle(count, task);
        if (count == 0) {
            t.done.complete(null);
        }
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            t.startNext();
        }
        return t.done;
    }

    private void startNext() {
        int i = next.getAndIncrement();
        if (i >= count) {
            return;
        }
        CompletableFuture<?> f;
        try {
            f = task.apply(i);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (finished.incrementAndGet() == count) {
                done.complete(null);
            } else {
                startNext();
            }
        });
    }
}
