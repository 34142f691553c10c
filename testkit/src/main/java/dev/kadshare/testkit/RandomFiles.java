package dev.kadshare.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.SplittableRandom;

/** Random bytes fixed by a seed, in memory or as a file; the same seed and size give the same bytes either way. */
public final class RandomFiles {
    private static final int BLOCK = 1 << 16;

    private RandomFiles() {}

    public static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code size} bytes to {@code file} (and its missing parents) in blocks, so the disk bounds the size, not the heap. */
    public static Path write(Path file, long size, long seed) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[BLOCK];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= BLOCK) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(BLOCK, left));
            }
        }
        return file;
    }

    /**
     * Writes other random bytes of the same length into {@code file} and puts its last-modified time back: a change a
     * node cannot see from the file's stamp (length and time), for tests of a peer that serves bad data.
     */
    public static Path rewriteUnseen(Path file, long size, long seed) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        write(file, size, seed);
        Files.setLastModifiedTime(file, modified);
        return file;
    }
}
