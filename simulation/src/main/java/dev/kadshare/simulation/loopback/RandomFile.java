package dev.kadshare.simulation.loopback;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A file of random bytes fixed by a seed, written in blocks so its size is bounded by the disk, not the heap. */
public final class RandomFile {
    private static final int BLOCK = 1 << 16;

    private RandomFile() {}

    public static Path write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
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
}
