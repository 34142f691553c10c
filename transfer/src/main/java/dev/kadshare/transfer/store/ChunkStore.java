package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A download in progress on disk: verified chunks written positionally into a temporary file (or, for a
 * directory share, a temporary directory) in the output directory, moved atomically to
 * {@code outDir/name} once every chunk is verified. A {@link ResumeState} sidecar records every verified
 * chunk, so {@link #resume} after a crash, {@link #close} or a restart continues where it stopped.
 *
 * <p>Not thread-safe: one owner (the download's event loop) calls it, except {@link #writeData}, which a
 * hashing worker may call. Hashing happens in {@link #write}, or before {@link #writeVerified} or
 * {@link #writeData} on any thread.
 */
public final class ChunkStore implements AutoCloseable {
    private static final String PART_SUFFIX = ".kadshare-part";

    private final Manifest manifest;
    private final Path partFile;
    private final Path finalFile;
    private final OpenFiles files;
    private final ResumeState state;
    private final BitSet verified;
    private final LastStop lastStop;
    private long verifiedBytes;

    private ChunkStore(Manifest manifest, Path outDir, ResumeState state, BitSet verified, LastStop lastStop) {
        this.manifest = manifest;
        this.partFile = partFileFor(outDir, manifest.name());
        this.finalFile = outDir.resolve(manifest.name());
        this.files = new OpenFiles(ContentLayout.of(manifest, partFile), true);
        this.state = state;
        this.verified = verified;
        this.lastStop = lastStop;
        verified.stream().forEach(i -> verifiedBytes += manifest.chunkLength(i));
    }

    /** Starts afresh: creates (or truncates) {@code outDir/.NAME.kadshare-part} and a new sidecar. */
    public static ChunkStore create(Manifest manifest, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path part = partFileFor(outDir, manifest.name());
        // Path safety first: a manifest whose files would escape the part directory fails here, before any write.
        ContentLayout layout = ContentLayout.of(manifest, part);
        // Whatever is there goes, a symbolic link included (not its target): the part path is ours alone.
        deleteTree(part);
        if (manifest.isDirectory()) {
            Files.createDirectories(part);
        }
        List<Path> files = layout.files();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Files.createDirectories(file.getParent());
            // Created here so zero-length files exist too, and at full length (sparse) so that chunk writes,
            // arriving in any order, land inside the file rather than extend it.
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(0);
                f.setLength(layout.length(i));
            }
        }
        return new ChunkStore(manifest, outDir, ResumeState.create(manifest, outDir), new BitSet(), LastStop.CLEAN);
    }

    /**
     * Resumes the partial download of {@code manifest} in {@code outDir} if its sidecar matches; else adopts a
     * partial file left without one; else {@link #create}s.
     */
    public static ChunkStore open(Manifest manifest, Path outDir) throws IOException {
        Optional<ChunkStore> resumed = resume(manifest.contentId(), outDir);
        if (resumed.isPresent()) {
            return resumed.get();
        }
        Optional<ChunkStore> adopted = adopt(manifest, outDir);
        return adopted.isPresent() ? adopted.get() : create(manifest, outDir);
    }

    /**
     * A partial download whose sidecar is gone or damaged: its bytes may still hold good chunks (libtorrent,
     * without resume data, checks the files it finds too). Every chunk is marked, with an unclean stop, so
     * nothing is trusted before a {@link #recheck} keeps the chunks that hash right; only the others are
     * fetched again. Empty unless every file of the content is there, a regular file inside the part path.
     */
    private static Optional<ChunkStore> adopt(Manifest manifest, Path outDir) throws IOException {
        Path part = partFileFor(outDir, manifest.name());
        ContentLayout layout = ContentLayout.of(manifest, part); // path safety first, as in create
        List<Path> files = layout.files();
        if (manifest.chunkCount() == 0 || !Files.exists(part, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(part)) {
            return Optional.empty();
        }
        Path root = part.toRealPath();
        for (Path file : files) {
            // No symbolic link anywhere on the way: chunks are written where the manifest says, nowhere else.
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !file.toRealPath().equals(root.resolve(part.relativize(file)))) {
                return Optional.empty();
            }
        }
        for (int i = 0; i < files.size(); i++) {
            if (Files.size(files.get(i)) != layout.length(i)) {
                try (RandomAccessFile f = new RandomAccessFile(files.get(i).toFile(), "rw")) {
                    f.setLength(layout.length(i));
                }
            }
        }
        BitSet all = new BitSet();
        all.set(0, manifest.chunkCount());
        return Optional.of(new ChunkStore(manifest, outDir, ResumeState.create(manifest, outDir, all), all,
                LastStop.UNCLEAN));
    }

    /**
     * The partial download of {@code id} in {@code outDir}, if a whole sidecar and its partial file are
     * there. The manifest comes from the sidecar (it was checked against the id when first fetched, and is
     * checked again on load), so no peer is needed to know the progress.
     */
    public static Optional<ChunkStore> resume(ContentId id, Path outDir) throws IOException {
        Optional<ResumeState.Loaded> loaded = ResumeState.load(id, outDir);
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        ResumeState.Loaded l = loaded.get();
        Path part = partFileFor(outDir, l.manifest().name());
        boolean whole = ContentLayout.of(l.manifest(), part).files().stream().allMatch(Files::isRegularFile);
        if (!whole) {
            l.state().delete();
            return Optional.empty();
        }
        return Optional.of(new ChunkStore(l.manifest(), outDir, l.state(), l.verified(), l.lastStop()));
    }

    /**
     * How the run that left this partial download ended: after {@link LastStop#UNCLEAN} the marked chunks
     * should be {@link #recheck}ed before they are trusted (a fresh store counts as clean: nothing is marked).
     */
    public LastStop lastStop() {
        return lastStop;
    }

    /**
     * Hashes every chunk marked as verified again and unmarks those whose bytes do not match, so they are
     * fetched again. Reads the whole partial file: run it on a worker, before anything else uses the store.
     */
    public Recheck recheck() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(manifest.chunkSize());
        int confirmed = 0;
        int discarded = 0;
        for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
            buffer.clear().limit(manifest.chunkLength(i));
            files.read(manifest.chunkOffset(i), buffer);
            if (manifest.verifies(i, buffer.flip())) {
                confirmed++;
            } else {
                state.unmark(i);
                verified.clear(i);
                verifiedBytes -= manifest.chunkLength(i);
                discarded++;
            }
        }
        return new Recheck(confirmed, discarded);
    }

    /** Deletes the partial download of {@code id} in {@code outDir}, if any (sidecar and partial file). */
    public static void discard(ContentId id, Path outDir) throws IOException {
        Optional<ChunkStore> store = resume(id, outDir);
        if (store.isPresent()) {
            store.get().discard();
        } else {
            ResumeState.deleteFor(id, outDir);
        }
    }

    public static Path partFileFor(Path outDir, String name) {
        return outDir.resolve("." + name + PART_SUFFIX);
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Verifies the chunk against the manifest and writes it only if it matches. */
    public WriteResult write(int index, ByteBuffer body) throws IOException {
        if (verified.get(index)) {
            return WriteResult.ALREADY_VERIFIED;
        }
        if (!manifest.verifies(index, body)) {
            return WriteResult.FAILED_VERIFICATION;
        }
        return writeVerified(index, body);
    }

    /** Writes a chunk whose bytes the caller has already checked with {@link Manifest#verifies}. */
    public WriteResult writeVerified(int index, ByteBuffer body) throws IOException {
        if (verified.get(index)) {
            return WriteResult.ALREADY_VERIFIED;
        }
        writeData(index, body);
        return markStored(index);
    }

    /**
     * Writes the bytes of a chunk that passed {@link Manifest#verifies}, without recording it. The one
     * method that may run on any thread (a hashing worker); {@link #markStored} must follow on the owner's
     * thread once it returned.
     */
    public void writeData(int index, ByteBuffer body) throws IOException {
        files.write(manifest.chunkOffset(index), body);
    }

    /** Records chunk {@code index}, whose bytes {@link #writeData} wrote, as verified (sidecar included). */
    public WriteResult markStored(int index) throws IOException {
        if (verified.get(index)) {
            return WriteResult.ALREADY_VERIFIED;
        }
        state.markVerified(index); // after the data, so the sidecar never claims bytes that are not there
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
        files.read(manifest.chunkOffset(index), dst);
        return Optional.of(dst.flip());
    }

    /** Where the bytes of chunk {@code index} are in the partial file(s), for zero-copy serving. */
    public List<FileSpan> spans(int index) {
        return ContentLayout.of(manifest, partFile).spans(manifest.chunkOffset(index), manifest.chunkLength(index));
    }

    public boolean isVerified(int index) {
        return verified.get(index);
    }

    /** A copy of the verified chunks. */
    public BitSet verified() {
        return (BitSet) verified.clone();
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
     * Forces the data to disk, closes the files and moves the partial file (or directory) atomically into
     * place, then deletes the sidecar.
     *
     * @return the final path {@code outDir/name}
     * @throws IllegalStateException if some chunk is not verified yet
     */
    public Path finish() throws IOException {
        if (!isComplete()) {
            throw new IllegalStateException(verifiedCount() + " of " + manifest.chunkCount() + " chunks verified");
        }
        // Force before the rename so a crash never leaves a complete-looking file with missing data.
        files.force();
        files.close();
        if (manifest.isDirectory() && Files.exists(finalFile)) {
            throw new FileAlreadyExistsException(finalFile.toString());
        }
        Path moved = manifest.isDirectory()
                ? Files.move(partFile, finalFile, StandardCopyOption.ATOMIC_MOVE)
                : Files.move(partFile, finalFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        state.delete();
        return moved;
    }

    /** Closes and deletes the partial file and its sidecar: the progress is gone for good. */
    public void discard() throws IOException {
        files.close();
        state.delete();
        deleteTree(partFile);
    }

    /**
     * Forces the data to disk and closes the files, keeping the partial file and sidecar for a later
     * {@link #resume}, which can then trust the sidecar ({@link LastStop#CLEAN}).
     */
    @Override
    public void close() throws IOException {
        try {
            files.force();
            state.markClosedCleanly(); // only once the data it vouches for is on disk
        } finally {
            files.close();
            state.close();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
