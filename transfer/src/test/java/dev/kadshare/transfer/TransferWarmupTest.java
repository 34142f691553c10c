package dev.kadshare.transfer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferWarmupTest {
    private final EventLoopGroup group = Transport.preferred().newGroup(2);
    private final ExecutorService hashing = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        hashing.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void completesEveryRoundAndLeavesNothingBehind(@TempDir Path parent) throws Exception {
        int done = TransferWarmup.run(group, hashing, parent, 3, TransferWarmup.ROUND_LIMIT).get(60, TimeUnit.SECONDS);

        assertEquals(3, done);
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(0, left.count(), "the scratch directory is deleted");
        }
    }

    @Test
    void givesUpADownloadPastItsLimitAndCleansUp(@TempDir Path parent) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> TransferWarmup.run(group, hashing, parent, 3, Duration.ofNanos(1)).get(60, TimeUnit.SECONDS));

        assertTrue(e.getCause() instanceof CancellationException, e.getCause().toString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(parent)) {
                assertEquals(0, left.count(), "the scratch directory is deleted");
            }
        });
    }

    @Test
    void failsWithoutHarmWhereItCannotWrite(@TempDir Path parent) throws Exception {
        Path notADirectory = Files.writeString(parent.resolve("file"), "x");

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> TransferWarmup.run(group, hashing, notADirectory.resolve("sub"), 1, TransferWarmup.ROUND_LIMIT).get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof java.io.UncheckedIOException, e.getCause().toString());
    }
}
