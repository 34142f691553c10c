package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Optional;

/**
 * A download in progress on disk: verified chunks written positionally into a temporary file in the
 * output directory, which is moved atomically to {@code outDir/name} once every chunk is verified.
 *
 * <p>This is the single place where received chunks are hashed, so that hashing can later move to a
 * worker pool as a unit. Not thread-safe: one owner (the download's event loop) calls it.
 */
public final class ChunkStore implements AutoCloseable {
    private static final String PART_SUFFIX = ".kadshare-part";

    private final Manifest manifest;
    private final Path partFile;
    private final Path finalFile;
    private final FileChannel channel;
    // In memory only for now; a sidecar for resume comes later.
    private final BitSet verified;
    private long verifiedBytes;

    private ChunkStore(Manifest manifest, Path partFile, Path finalFile, FileChannel channel) {
        this.manifest = manifest;
        this.partFile = partFile;
        this.finalFile = finalFile;
        this.channel = channel;
        this.verified = new BitSet(manifest.chunkCount());
    }

    /** Creates (or truncates) {@code outDir/.NAME.kadshare-part}. */
    public static ChunkStore create(Manifest manifest, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path part = partFileFor(outDir, manifest.name());
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        return new ChunkStore(manifest, part, outDir.resolve(manifest.name()), ch);
    }

    public static Path partFileFor(Path outDir, String name) {
        return outDir.resolve("." + name + PART_SUFFIX);
    }

    /** Verifies the chunk against the manifest and writes it only if it matches. */
    public WriteResult write(int index, ByteBuffer body) throws IOException {
        if (verified.get(index)) {
            return WriteResult.ALREADY_VERIFIED;
        }
        if (!manifest.verifies(index, body)) {
            return WriteResult.FAILED_VERIFICATION;
        }
        ByteBuffer src = body.duplicate();
        long position = manifest.chunkOffset(index);
        while (src.hasRemaining()) {
            position += channel.write(src, position);
        }
        verified.set(index);
        verifiedBytes += manifest.chunkLength(index);
        return WriteResult.STORED;
    }

    /** The bytes of a verified chunk, read positionally from the partial file; empty if not verified. */
    public Optional<ByteBuffer> read(int index) throws IOException {
        if (!verified.get(index)) {
            return Optional.empty();
        }
        ByteBuffer dst = ByteBuffer.allocate(manifest.chunkLength(index));
        long position = manifest.chunkOffset(index);
        while (dst.hasRemaining()) {
            if (channel.read(dst, position + dst.position()) < 0) {
                throw new IOException(partFile + " is shorter than its verified chunks");
            }
        }
        return Optional.of(dst.flip());
    }

    public boolean isVerified(int index) {
        return verified.get(index);
    }

    public int verifiedCount() {
        return verified.cardinality();
    }

    public long verifiedBytes() {
        return verifiedBytes;
    }

    public boolean isComplete() {
        return verified.cardinality() == manifest.chunkCount();
    }

    public Path partFile() {
        return partFile;
    }

    /**
     * Forces the data to disk, closes the file and moves it atomically into place.
     *
     * @return the final path {@code outDir/name}
     * @throws IllegalStateException if some chunk is not verified yet
     */
    public Path finish() throws IOException {
        if (!isComplete()) {
            throw new IllegalStateException(verifiedCount() + " of " + manifest.chunkCount() + " chunks verified");
        }
        // Force before the rename so a crash never leaves a complete-looking file with missing data.
        channel.force(true);
        channel.close();
        return Files.move(partFile, finalFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Closes and deletes the partial file (until resume exists, a partial file is of no use). */
    public void discard() throws IOException {
        channel.close();
        Files.deleteIfExists(partFile);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
