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

    /** A download of {@code content} from one seeder, which records what it is asked for. */
    private record OneSeeder(Content content, VirtualRun run, VirtualRun.Seeder seeder) {}

    /** One request in flight at a time, so the order of the requests is the order of the picks. */
    private OneSeeder oneAtATime(int chunks, long seed, ChunkOrder order) {
        Content content = Content.random("film.bin", chunks * CHUNK, CHUNK, seed);
        VirtualRun run = new VirtualRun(content.id(),
                DownloadOptions.builder().maxInFlightBytes(CHUNK).chunkOrder(order).build(), dir.resolve("out"));
        VirtualRun.Seeder seeder = new VirtualRun.Seeder(content);
        run.peer(address(1), seeder);
        return new OneSeeder(content, run, seeder);
    }

    @Test
    void aRangeAskedForBeforeTheManifestIsRequestedFirstAndAReleasedOneIsNot() throws Exception {
        OneSeeder one = oneAtATime(32, 3, ChunkOrder.RAREST_FIRST);
        VirtualRun run = one.run();
        run.deliver(new DownloadEvent.Prioritize(7, 20, 22));
        run.deliver(new DownloadEvent.Prioritize(8, 5, 6));
        run.deliver(new DownloadEvent.ReleasePriority(8));
        run.start(address(1));
        run.runToEnd();
        assertArrayEquals(one.content().bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertEquals(List.of(20, 21, 22), one.seeder().requested.subList(0, 3), "the reader's range first, in order");
        run.assertTidy();
    }

    @Test
    void aSequentialDownloadAsksFourInFiveInOrder() throws Exception {
        OneSeeder one = oneAtATime(40, 4, ChunkOrder.SEQUENTIAL);
        one.run().start(address(1));
        one.run().runToEnd();
        assertArrayEquals(one.content().bytes(), Files.readAllBytes(one.run().finished.orElseThrow()));
        List<Integer> asked = one.seeder().requested;
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
