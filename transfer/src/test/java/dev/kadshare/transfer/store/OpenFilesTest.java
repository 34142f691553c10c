package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.content.Manifest;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aligned writes go around the page cache where the file system allows; every write lands where it should. */
class OpenFilesTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void alignedUnalignedAndShortWritesAllLandExactly() throws Exception {
        byte[] data = new byte[4 * BLOCK * 4 + 123]; // four 16 KiB chunks and a short tail
        new SplittableRandom(7).nextBytes(data);
        Path src = Files.write(dir.resolve("src"), data);
        Manifest manifest = Manifest.ofFile(src, "f", 4 * BLOCK);
        Path file = dir.resolve("part");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(data.length);
        }
        try (OpenFiles files = new OpenFiles(ContentLayout.of(manifest, file), true)) {
            assertEquals(DirectIo.supported(dir), files.writesDirect(file));
            // In a scrambled order, as a swarm delivers them: aligned direct memory, heap memory,
            // direct memory off the block boundary, and the short last chunk.
            files.write(2L * 4 * BLOCK, aligned(data, 2 * 4 * BLOCK, 4 * BLOCK));
            files.write(4L * 4 * BLOCK, ByteBuffer.wrap(data, 4 * 4 * BLOCK, 123).slice());
            files.write(0, ByteBuffer.wrap(data, 0, 4 * BLOCK).slice());
            ByteBuffer offBoundary = ByteBuffer.allocateDirect(4 * BLOCK + 1).position(1).slice();
            offBoundary.put(data, 4 * BLOCK, 4 * BLOCK).flip();
            files.write(4 * BLOCK, offBoundary);
            files.write(3L * 4 * BLOCK, aligned(data, 3 * 4 * BLOCK, 4 * BLOCK));
            files.force();
        }
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    /** The bytes in direct memory that starts on a block boundary, as received chunks are. */
    private static ByteBuffer aligned(byte[] data, int from, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(length + BLOCK).alignedSlice(BLOCK);
        b.limit(length);
        b.put(data, from, length).flip();
        return b;
    }
}
