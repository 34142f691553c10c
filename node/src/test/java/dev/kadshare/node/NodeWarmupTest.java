package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kadshare.node.datadir.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's warm-up works in its data dir and leaves nothing there: not after it, not after a crash during it. */
class NodeWarmupTest {
    @TempDir
    Path dir;

    @Test
    void theWarmupDeletesWhatACrashLeftAndWhatItMade() throws Exception {
        Path leftover = new DataDir(dir.resolve("a")).warmup().resolve("warmup123/kadshare-warmup.bin");
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[1024]);
        try (Node node = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of())) {
            assertEquals(2, node.warmUp().get(60, TimeUnit.SECONDS));

            try (Stream<Path> left = Files.list(new DataDir(dir.resolve("a")).warmup())) {
                assertEquals(List.of(), left.toList(), "neither the crash's leftover nor the warm-up's own files");
            }
        }
        assertFalse(Files.exists(new DataDir(dir.resolve("a")).warmup()), "and a stopped node leaves no directory");
    }
}
