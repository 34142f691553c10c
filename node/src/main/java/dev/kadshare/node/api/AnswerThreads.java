package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads for answers that last (an event stream, a file a player reads), one each and at most {@code max} at once,
 * so they never hold the API's request threads; each closes its exchange when done.
 */
final class AnswerThreads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnswerThreads.class);

    /** Writes one answer, as long as it lasts. */
    @FunctionalInterface
    interface Answer {
        void write(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final String what;
    private final int max;
    private final Semaphore slots;
    private final ExecutorService threads;

    /** @param what what the answers are, plural, for errors and the log ("event streams") */
    AnswerThreads(String what, int max, String threadName) {
        this.what = what;
        this.max = max;
        this.slots = new Semaphore(max);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes over {@code exchange}: a 503 while {@code max} are open, else {@code answer} runs on a thread of its own. */
    void start(HttpExchange exchange, Answer answer) {
        if (!slots.tryAcquire()) {
            throw new ApiError(503, "too many " + what + " open (" + max + "); close one and retry");
        }
        try {
            threads.execute(() -> {
                try (exchange) {
                    answer.write(exchange);
                } catch (IOException e) {
                    log.debug("{}: one to {} ended: {}", what, exchange.getRemoteAddress(), e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            throw new ApiError(503, "the daemon is stopping");
        }
    }

    /** Ends every answer's thread (the server closes their connections). */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
