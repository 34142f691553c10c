package dev.kadshare.app.bench;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the downloaders' disk takes to make a GiB durable, measured now: written as a download writes it (whole
 * aligned chunks, around the page cache where the file system allows), then forced, as a download is before its move
 * into place. The force waits for the disk, not the CPU: a virtual disk may hold written data in its host's cache until
 * told to flush it, so what a download waits for after its last chunk grows with what it wrote.
 *
 * @param secondsPerGib the wait of the force, per GiB written (the median of three runs)
 * @param direct whether the writes went around the page cache, as a download's do on this file system
 */
record DiskFlush(double secondsPerGib, boolean direct) {
    private static final int CHUNK = 4 << 20;
    private static final int ALIGNMENT = 4096;
    private static final double GIB = 1 << 30;

    static DiskFlush measure(Path dir, long bytes) throws IOException {
        List<Double> waits = new ArrayList<>();
        boolean direct = true;
        for (int run = 0; run < 3; run++) {
            Path path = Files.createTempFile(dir, "flush", ".bin");
            try {
                direct = written(path, bytes);
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    long start = System.nanoTime();
                    ch.force(true);
                    waits.add((System.nanoTime() - start) / 1e9 / (bytes / GIB));
                }
            } finally {
                Files.deleteIfExists(path);
            }
        }
        Collections.sort(waits);
        return new DiskFlush(waits.get(1), direct);
    }

    /** Writes {@code bytes} of random chunks into a file of that length; whether around the page cache. */
    private static boolean written(Path path, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK + ALIGNMENT).alignedSlice(ALIGNMENT);
        byte[] random = new byte[CHUNK];
        ThreadLocalRandom.current().nextBytes(random);
        chunk.put(random).flip();
        try (var file = new java.io.RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(bytes); // sparse, at its length first, as the store's partial file
        }
        FileChannel ch;
        boolean direct;
        try {
            ch = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            direct = true;
        } catch (IOException | UnsupportedOperationException e) {
            ch = FileChannel.open(path, StandardOpenOption.WRITE); // tmpfs and the like: the page cache
            direct = false;
        }
        try (FileChannel open = ch) {
            for (long pos = 0; pos < bytes; pos += CHUNK) {
                ByteBuffer b = chunk.duplicate();
                while (b.hasRemaining()) {
                    open.write(b, pos + b.position());
                }
            }
        }
        return direct;
    }
}
