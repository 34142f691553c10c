package dev.kadshare.app.bench;

import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.noise.CipherState;
import dev.kadshare.transfer.link.noise.NoiseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The least CPU one GiB costs on its way from a sender's file to a receiver's, measured now on this machine: the
 * kernel's TCP copies at both ends, the link cipher sealing and opening it in records, SHA-256 once, its write to a
 * file and its read back from the page cache (the sender's), each the best of three runs. Every byte a downloader
 * receives takes all five, so a round cannot spend less than their sum times the bytes received; what the daemons
 * spend beyond it is theirs. Like the daemons' figures, these are the threads' own CPU: the kernel's writeback
 * threads count in neither.
 */
record DataPathFloor(double tcp, double cipher, double sha256, double write, double read) {
    private static final int BUFFER = 1 << 20;

    /** CPU-s per GiB of all five steps. */
    double perGib() {
        return tcp + cipher + sha256 + write + read;
    }

    /** The floor from {@code limit}'s TCP and SHA-256 runs, with the cipher and the file measured on {@code bytes}. */
    static DataPathFloor measure(VerifiedStreamLimit limit, Path dir, long bytes) throws IOException {
        cipher(bytes / 4); // warm-up
        Step cipher = Step.NONE;
        FileSteps file = new FileSteps(Step.NONE, Step.NONE);
        for (int run = 0; run < 3; run++) {
            cipher = cipher.best(cipher(bytes));
            file = file.best(file(dir, bytes));
        }
        return new DataPathFloor(limit.tcp().cpuPerGib(), cipher.cpuPerGib(), limit.sha256().cpuPerGib(),
                file.write().cpuPerGib(), file.read().cpuPerGib());
    }

    /** A file written, then read back. */
    private record FileSteps(Step write, Step read) {
        FileSteps best(FileSteps other) {
            return new FileSteps(write.best(other.write), read.best(other.read));
        }
    }

    /** AES-256-GCM through the link's own {@link CipherState}: full records sealed by one state, opened by another. */
    private static Step cipher(long bytes) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        CipherState seal = CipherState.keyed(key);
        CipherState open = CipherState.keyed(key);
        byte[] plain = new byte[RecordLayer.MAX_PLAINTEXT];
        byte[] sealed = new byte[plain.length + CipherState.TAG_BYTES];
        Step.Stopwatch watch = Step.Stopwatch.start();
        long done = 0;
        try {
            for (; done < bytes; done += plain.length) {
                int n = seal.encrypt(plain, 0, plain.length, sealed, 0);
                open.decrypt(sealed, 0, n, plain, 0);
            }
        } catch (NoiseException e) {
            throw new IllegalStateException("a record sealed here must open here", e);
        }
        return watch.stop(done);
    }

    /** Writes {@code bytes} to a new file, then reads them back; the file is deleted. */
    private static FileSteps file(Path dir, long bytes) throws IOException {
        Path path = Files.createTempFile(dir, "floor", ".bin");
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER); // a heap buffer would add the JDK's copy to a direct one
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            Step.Stopwatch watch = Step.Stopwatch.start();
            for (long done = 0; done < bytes; done += BUFFER) {
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            Step write = watch.stop(bytes);
            watch = Step.Stopwatch.start();
            long read = 0;
            for (long pos = 0; pos < bytes; ) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException(path + " ends at " + pos + " of " + bytes);
                }
                pos += n;
                read += n;
            }
            return new FileSteps(write, watch.stop(read));
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
