package dev.kadshare.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileHoldsTheBytesOfItsSeedAcrossBlocks() throws Exception {
        int size = 3 * (1 << 16) + 5;
        Path file = RandomFiles.write(dir.resolve("a/b/seeded.bin"), size, 42);
        assertArrayEquals(RandomFiles.bytes(size, 42), Files.readAllBytes(file));
    }

    @Test
    void theSeedFixesTheBytes() {
        assertArrayEquals(RandomFiles.bytes(1000, 7), RandomFiles.bytes(1000, 7));
        assertFalse(Arrays.equals(RandomFiles.bytes(1000, 7), RandomFiles.bytes(1000, 8)));
    }

    @Test
    void anEmptyFileIsWritten() throws Exception {
        assertEquals(0, Files.size(RandomFiles.write(dir.resolve("empty"), 0, 1)));
    }
}
