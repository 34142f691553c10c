package dev.kadshare.app.bench;

import com.sun.nio.file.ExtendedOpenOption;
import dev.kadshare.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the downloaders' disk takes to make a GiB durable, measured now: written as a download writes it (whole
 * aligned chunks, by as many threads as a node hashes on, around the page cache where the file system allows), then
 * forced, as a download is before its move into place. Both wait for the disk, not the CPU: a virtual disk may hold
 * written data in its host's cache until told to flush it, so what a download waits for after its last chunk grows
 * with what it wrote, and no download can be durable sooner than the disk takes for both.
 *
 * @param secondsPerGib the wait of the force, per GiB written (the median of three runs)
 * @param durableSecondsPerGib the writes and the force together, per GiB (the median of three runs)
 * @param direct whether the writes went around the page cache, as a download's do on this file system
 */
record DiskFlush(double secondsPerGib, double durableSecondsPerGib, boolean direct) {
    /** A node's hashing threads, which write the chunks they verified. */
    static final int WRITERS = Node.HASHING_THREADS;
    private static final int CHUNK = 4 << 20;
    private static final int ALIGNMENT = 4096;
    private static final double GIB = 1 << 30;

    static DiskFlush measure(Path dir, long bytes) throws IOException {
        List<Double> waits = new ArrayList<>();
        List<Double> durable = new ArrayList<>();
        boolean direct = true;
        for (int run = 0; run < 3; run++) {
            Path path = Files.createTempFile(dir, "flush", ".bin");
            try {
                long start = System.nanoTime();
                direct = written(path, bytes);
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    long forcing = System.nanoTime();
                    ch.force(true);
                    long end = System.nanoTime();
                    waits.add((end - forcing) / 1e9 / (bytes / GIB));
                    durable.add((end - start) / 1e9 / (bytes / GIB));
                }
            } finally {
                Files.deleteIfExists(path);
            }
        }
        Collections.sort(waits);
        Collections.sort(durable);
        return new DiskFlush(waits.get(1), durable.get(1), direct);
    }

    /**
     * Writes {@code bytes} of random chunks into a file of that length, {@link #WRITERS} threads at once; whether around
     * the page cache.
     */
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
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (FileChannel open = ch) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long first = (long) w * CHUNK;
                done.add(writers.submit(() -> writeEvery(open, chunk.duplicate(), first, bytes)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing", e);
        } catch (ExecutionException e) {
            throw new IOException("a write failed", e.getCause());
        } finally {
            writers.shutdownNow();
        }
        return direct;
    }

    /** Writes {@code chunk} at {@code first} and every {@link #WRITERS}-th chunk after it, up to {@code bytes}. */
    private static void writeEvery(FileChannel file, ByteBuffer chunk, long first, long bytes) {
        try {
            for (long pos = first; pos < bytes; pos += (long) WRITERS * CHUNK) {
                ByteBuffer b = chunk.duplicate();
                while (b.hasRemaining()) {
                    file.write(b, pos + b.position());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
