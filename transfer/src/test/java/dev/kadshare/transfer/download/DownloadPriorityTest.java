package dev.kadshare.transfer.download;

import static dev.kadshare.transfer.download.VirtualRun.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.download.VirtualRun.Content;
import dev.kadshare.transfer.swarm.ChunkOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader's chunks jump a download's queue, as events into the core; a sequential download asks mostly in order. */
class DownloadPriorityTest {
    private static final int CHUNK = 16 * 1024;

    @TempDir
    Path dir;

    /** One request in flight at a time, so the order of the requests is the order of the picks. */
    private VirtualRun oneAtATime(Content content, ChunkOrder order) {
        return new VirtualRun(content.id(), DownloadOptions.builder().maxInFlightBytes(CHUNK).chunkOrder(order).build(),
                dir.resolve("out"));
    }

    @Test
    void aRangeAskedForBeforeTheManifestIsRequestedFirstAndAReleasedOneIsNot() throws Exception {
        Content content = Content.random("film.bin", 32 * CHUNK, CHUNK, 3);
        VirtualRun run = oneAtATime(content, ChunkOrder.RAREST_FIRST);
        VirtualRun.Seeder seeder = new VirtualRun.Seeder(content);
        run.peer(address(1), seeder);
        run.deliver(new DownloadEvent.Prioritize(7, 20, 22));
        run.deliver(new DownloadEvent.Prioritize(8, 5, 6));
        run.deliver(new DownloadEvent.ReleasePriority(8));
        run.start(address(1));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertEquals(List.of(20, 21, 22), seeder.requested.subList(0, 3), "the reader's range first, in order");
        run.assertTidy();
    }

    @Test
    void aSequentialDownloadAsksFourInFiveInOrder() throws Exception {
        Content content = Content.random("film.bin", 40 * CHUNK, CHUNK, 4);
        VirtualRun run = oneAtATime(content, ChunkOrder.SEQUENTIAL);
        VirtualRun.Seeder seeder = new VirtualRun.Seeder(content);
        run.peer(address(1), seeder);
        run.start(address(1));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        List<Integer> asked = seeder.requested;
        assertEquals(List.of(0, 1, 2, 3), asked.subList(0, 4), "in order from the start: " + asked);
        long inOrder = 0;
        BitSet before = new BitSet();
        for (int i : asked) {
            if (i == before.nextClearBit(0)) {
                inOrder++;
            }
            before.set(i);
        }
        assertEquals(40, asked.size());
        assertTrue(inOrder >= 32, "at least four in five are the first missing chunk: " + asked);
    }
}
