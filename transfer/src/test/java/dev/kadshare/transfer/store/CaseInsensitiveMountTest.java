package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.Manifest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real case-insensitive file system without hard links (FAT over FUSE: the kernel here has no
 * CONFIG_UNICODE, so neither tmpfs nor ext4 can fold case), the probe sees it, a directory share whose names
 * differ only in case is refused, and the move into place still never replaces anything.
 */
class CaseInsensitiveMountTest {
    @TempDir
    Path dir;

    @Test
    void namesDifferingOnlyInCaseAreRefusedWhereTheFileSystemIgnoresCase() throws Exception {
        Manifest share = ChunkStorePlacementTest.caseTwins(dir);
        try (FatMount fat = FatMount.at(dir)) {
            assertTrue(CaseProbe.probing().ignoresCase(fat.path()), "the probe sees FAT ignore case");
            StoreFailure failure = assertThrows(StoreFailure.class, () -> ChunkStore.open(share, fat.path()));
            assertTrue(failure.getMessage().contains("ignores case"), failure.getMessage());
        }
    }

    @Test
    void withoutHardLinksTheMoveStillTakesOnlyAFreeName() throws Exception {
        byte[] data = new byte[10_000];
        new Random(5).nextBytes(data);
        Path src = Files.write(Files.createDirectories(dir.resolve("src")).resolve("file"), data);
        Manifest manifest = Manifest.ofFile(src, "x.bin", 4096);
        try (FatMount fat = FatMount.at(dir)) {
            Path out = fat.path();
            Files.write(out.resolve("X.BIN"), "mine".getBytes()); // the same name, here
            ChunkStore store = ChunkStore.open(manifest, out);
            for (int i = 0; i < manifest.chunkCount(); i++) {
                int from = (int) manifest.chunkOffset(i);
                StoreChunks.write(store, i, ByteBuffer.wrap(data, from, manifest.chunkLength(i)).slice());
            }
            Path placed = store.finish();
            assertEquals(out.resolve("x (1).bin"), placed);
            assertArrayEquals(data, Files.readAllBytes(placed));
            assertArrayEquals("mine".getBytes(), Files.readAllBytes(out.resolve("X.BIN")));
        }
    }
}
