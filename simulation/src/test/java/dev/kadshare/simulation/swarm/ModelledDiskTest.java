package dev.kadshare.simulation.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.ChunkBody;
import dev.kadshare.transfer.download.StoreJob;
import dev.kadshare.transfer.download.StoreResult;
import dev.kadshare.transfer.store.LastStop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelledDiskTest {
    private final List<StoreResult> posted = new ArrayList<>();
    private final ModelledDisk disk = new ModelledDisk(posted::add);

    @Test
    void aFreshDownloadFindsNothingToResumeAndOpensAnEmptyCleanStore() {
        Manifest manifest = Manifest.of("m.bin", 3 * 1024, 1024, Collections.nCopies(3, new byte[32]));
        disk.submit(new StoreJob.Resume());
        disk.submit(new StoreJob.Open(manifest));
        assertEquals(new StoreResult.Resumed(Optional.empty()), posted.get(0));
        StoreResult.Opened opened = (StoreResult.Opened) posted.get(1);
        assertEquals(manifest, opened.store().manifest());
        assertTrue(opened.store().verified().isEmpty(), "nothing held yet");
        assertEquals(LastStop.CLEAN, opened.store().lastStop(), "so the core rechecks nothing");
    }

    @Test
    void everyChunkIsStoredAndItsBodyFreedWithoutReadingABit() {
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 7000);
        int[] frees = new int[1];
        ChunkBody body = new ChunkBody() {
            @Override
            public int length() {
                return 1024;
            }

            @Override
            public ByteBuffer data() {
                throw new AssertionError("the modelled disk never reads a chunk");
            }

            @Override
            public void free() {
                frees[0]++;
            }
        };
        disk.submit(new StoreJob.HashAndWrite(2, body, from));
        assertEquals(List.of(new StoreResult.Stored(2, from)), posted);
        assertEquals(1, frees[0], "freed exactly once");
    }

    @Test
    void finishingClosingAndDiscardingSucceed() {
        disk.submit(new StoreJob.Finish());
        disk.submit(new StoreJob.Close());
        disk.submit(new StoreJob.Discard());
        assertTrue(posted.get(0) instanceof StoreResult.Moved);
        assertEquals(List.of(new StoreResult.Closed(), new StoreResult.Discarded()), posted.subList(1, 3));
    }

    @Test
    void aModelledChunkHasALengthAndNoBytes() {
        ModelledChunk chunk = new ModelledChunk(4096);
        assertEquals(4096, chunk.length());
        assertThrows(UnsupportedOperationException.class, chunk::data);
    }
}
