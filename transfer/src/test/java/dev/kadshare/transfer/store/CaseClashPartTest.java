package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.content.Manifest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a case-insensitive file system two downloads whose names differ only in case, of the same length, never share one
 * partial file: the second does not adopt the first's part, which the first's sidecar claims in its own case.
 */
class CaseClashPartTest {
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    private static ByteBuffer chunk(byte[] bytes, int i) {
        return ByteBuffer.wrap(bytes, i * CHUNK, CHUNK).slice();
    }

    @Test
    void aDownloadNamedInAnotherCaseNeverAdoptsAnotherDownloadsPartOnACaseInsensitiveFileSystem() throws Exception {
        Path fileA = RandomFiles.write(dir.resolve("a").resolve("f"), 4 * CHUNK, 1);
        Path fileB = RandomFiles.write(dir.resolve("b").resolve("f"), 4 * CHUNK, 2);
        Manifest a = Manifest.ofFile(fileA, "Report.bin", CHUNK);
        Manifest b = Manifest.ofFile(fileB, "report.bin", CHUNK);
        byte[] bytesA = Files.readAllBytes(fileA);
        byte[] bytesB = Files.readAllBytes(fileB);
        try (FatMount fat = FatMount.at(dir)) {
            Path out = fat.path();
            // Two downloads at once into one directory: A, then B, another content whose name differs only in case.
            try (ChunkStore storeA = ChunkStore.open(a, out)) {
                assertEquals(WriteResult.STORED, StoreChunks.write(storeA, 0, chunk(bytesA, 0)));
                try (ChunkStore storeB = ChunkStore.open(b, out)) {
                    if (storeB.lastStop() == LastStop.UNCLEAN) {
                        storeB.recheck(); // B's hashes: A's chunk 0 is not B's, so B fetches it
                    }
                    StoreChunks.write(storeB, 0, chunk(bytesB, 0));
                    for (int i = 1; i < 4; i++) {
                        assertEquals(WriteResult.STORED, StoreChunks.write(storeA, i, chunk(bytesA, i)));
                    }
                    Path placed = storeA.finish(); // every chunk of A verified: A completes
                    assertArrayEquals(bytesA, Files.readAllBytes(placed), "A's finished file holds A's bytes, not B's chunk 0");
                }
            }
        }
    }
}
