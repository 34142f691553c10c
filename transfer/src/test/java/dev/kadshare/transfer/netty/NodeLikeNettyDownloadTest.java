package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.download.DownloadOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every download test again as a node runs downloads: on native epoll (another read path: edge-triggered,
 * native recv into the frame buffers) and with hashing, opening, checking and finishing on a worker pool, so
 * their results come back to the loop from another thread. Where epoll is not available the group falls back
 * to NIO.
 */
class NodeLikeNettyDownloadTest extends NettyDownloadTest {
    private static ExecutorService workers;

    @BeforeAll
    static void startLoops() { // hides NettyDownloadTest's, so JUnit runs only this one
        group = Transport.preferred().newGroup(2);
        workers = Executors.newFixedThreadPool(2);
        base = DownloadOptions.builder().hashing(workers).build();
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void theInheritedTestsRunOnThePreferredTransport() {
        assertEquals(Transport.preferred(), Transport.of(group));
    }
}
