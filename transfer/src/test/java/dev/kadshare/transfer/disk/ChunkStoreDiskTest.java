package dev.kadshare.transfer.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.StoreJob;
import dev.kadshare.transfer.download.StoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk's work whose download's loop has stopped: nothing thrown on the worker, nothing delivered. */
class ChunkStoreDiskTest {
    @TempDir
    Path dir;

    @Test
    void workThatEndsAfterTheDownloadsLoopStoppedIsDroppedQuietly() throws Exception {
        Path file = RandomFiles.write(dir.resolve("share.bin"), 100_000, 3);
        Manifest manifest = Manifest.ofFile(file, "share.bin", 16 << 10);
        Executor stoppedLoop = task -> {
            throw new RejectedExecutionException("event loop terminated");
        };
        List<StoreResult> heard = new ArrayList<>();
        ChunkStoreDisk disk = new ChunkStoreDisk(manifest.contentId(), dir.resolve("out"), Runnable::run, stoppedLoop,
                heard::add);

        disk.submit(new StoreJob.Open(manifest)); // the worker runs here: a rejection would be thrown right here

        assertEquals(List.of(), heard);
        assertTrue(Files.isDirectory(dir.resolve("out")), "the work itself was done");
    }
}
