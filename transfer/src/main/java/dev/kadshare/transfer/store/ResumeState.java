package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.wire.FrameCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The sidecar of a partial download, {@code outDir/.HEX.kadshare-state}, named by content id so a
 * restarted node finds it knowing only the id:
 * <pre>
 *   "KSST" · u8 version = 5 · u8 stop (0 = in use or crashed, 1 = closed cleanly) · u16 part name length P
 *   · P UTF-8 bytes, the name of the partial file (or directory) in outDir · u16 final name length F · F UTF-8
 *   bytes, the name the content was moved to in outDir (none until then) · 32 bytes, the digest of the part's
 *   stamps at the clean close · u32 manifest length M · M canonical manifest bytes · one byte per chunk
 *   (1 = verified)
 * </pre>
 * Version 4 had no final name, version 3 no stamps either, version 2 no part name either (the part was always
 * {@code .NAME.kadshare-part}); all are still read and rewritten as version 5. A version 4 sidecar's stamps still
 * vouch for its clean stop; versions 3 and 2 are taken as stopped uncleanly: nothing vouches that their part is
 * unchanged.
 * The part name is the sidecar's claim on its partial file: a download writes only into a part its sidecar
 * names, and no other content adopts it. The header is written to a temporary file, forced and renamed into
 * place, so it is whole or absent. After that, marking a chunk is one positional single-byte write made only
 * after the chunk's data write returned: a kill -9 at any moment leaves every marked chunk's bytes in the page
 * cache, hence in the file. A power loss can lose data the marks claim, so the stop byte says whether the marks
 * can be trusted: it is set only after the data was forced and the part stamped ({@link #markClosedCleanly}), and
 * cleared (and forced) before a resumed download writes anything; after any other stop, or if the part's stamps
 * changed while it was closed (a program wrote into it, another copy was restored over it), the marked chunks are
 * hashed again. It is never read or written through a symbolic link.
 *
 * <p>Moving the content into place rewrites it whole ({@link #recordMove}), before the part's own name goes: the
 * final name, the content's stamps then, every chunk marked. So until the sidecar is deleted, a kill at any moment
 * leaves either the part it names or the content at its final name, known as the download's own.
 */
final class ResumeState implements AutoCloseable {
    private static final byte[] MAGIC = {'K', 'S', 'S', 'T'};
    private static final byte VERSION = 5;
    private static final byte VERSION_WITHOUT_FINAL_NAME = 4;
    private static final byte VERSION_WITHOUT_STAMPS = 3;
    private static final byte VERSION_WITHOUT_PART_NAME = 2;
    private static final int STOP_OFFSET = 5;
    private static final int STAMPS_BYTES = 32;
    private static final String SUFFIX = ".kadshare-state";
    /** More than any sidecar holds: its manifest came in one frame, and the bitmap is a 32nd of that. */
    private static final int MAX_BYTES = 64 * 1024 + 2 * FrameCodec.MAX_FRAME_LENGTH;
    private static final ByteBuffer ONE = ByteBuffer.wrap(new byte[] {1}).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    private final long stampsOffset;
    private final long bitmapOffset;

    private ResumeState(Path path, FileChannel channel, long stampsOffset, long bitmapOffset) {
        this.path = path;
        this.channel = channel;
        this.stampsOffset = stampsOffset;
        this.bitmapOffset = bitmapOffset;
    }

    /**
     * A loaded sidecar: the manifest it was made for, the name of its partial file in the output directory, the
     * chunks it records as verified, how it stopped and, after a clean stop, the digest of its part's stamps then
     * ({@link ContentStamps#digest}: the stop counts as clean only while the part still has them).
     */
    record Loaded(Manifest manifest, String partName, BitSet verified, LastStop lastStop, byte[] cleanStamps,
            ResumeState state) {
        /** How it stopped, given the part's stamps now: a part changed since its clean close is not to be trusted. */
        LastStop lastStop(ContentStamps partNow) {
            return lastStop == LastStop.CLEAN && MessageDigest.isEqual(cleanStamps, partNow.digest())
                    ? LastStop.CLEAN : LastStop.UNCLEAN;
        }
    }

    /** What a sidecar says of its move into place: the name the content was moved to, the digest of its stamps. */
    record Move(String finalName, byte[] stamps) {
    }

    /**
     * What a sidecar claims, read without changing it: its manifest, the name of its part in the output directory and,
     * once the content was moved into place, that move.
     */
    record Claim(Manifest manifest, String partName, Optional<Move> move) {
    }

    /**
     * A sidecar's fields, read without changing it; {@code partName} empty for version 2, {@code finalName} empty
     * before version 5 and until the move.
     */
    private record Parsed(byte version, LastStop stop, Optional<String> partName, Optional<String> finalName,
            byte[] stamps, Manifest manifest, long stampsOffset, long bitmapOffset, long size, byte[] bytes) {
        /** The part it names; version 2 names none: its part had the first name there was. */
        String part() {
            return partName.orElseGet(() -> ChunkStore.firstPartName(manifest.name()));
        }
    }

    static Path pathFor(ContentId id, Path outDir) {
        return outDir.resolve("." + id.toHex() + SUFFIX);
    }

    /**
     * Writes a fresh sidecar for the part {@code partName} marking the chunks in {@code marked}, replacing an
     * old sidecar of this content; its stop is unclean, as every sidecar's is while it is in use.
     *
     * @throws StoreFailure if something that is not a sidecar (a directory, a link) has the sidecar's name
     */
    static ResumeState create(Manifest manifest, Path outDir, String partName, BitSet marked) throws IOException {
        long stampsOffset = stampsOffset(partName, "");
        Path target = write(manifest, outDir, partName, "", LastStop.UNCLEAN, new byte[STAMPS_BYTES], marked);
        return new ResumeState(target, FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS), stampsOffset, bitmapOffset(stampsOffset, manifest));
    }

    /** Where the stamps are in a sidecar naming {@code partName} and {@code finalName} (empty until the move). */
    private static long stampsOffset(String partName, String finalName) {
        return STOP_OFFSET + 1 + 2 + (long) partName.getBytes(StandardCharsets.UTF_8).length + 2
                + finalName.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Where the chunk map is in a sidecar of {@code manifest} whose stamps are at {@code stampsOffset}. */
    private static long bitmapOffset(long stampsOffset, Manifest manifest) {
        return stampsOffset + STAMPS_BYTES + 4 + manifest.canonicalBytes().length;
    }

    /**
     * Rewrites the sidecar of {@code manifest} to say that its part {@code partName} is being moved to {@code
     * finalName}, with every chunk marked and the stamps the content has there ({@code stamps}: a move keeps them).
     * Call it once the data is forced and the final name claimed, before the part's own name goes.
     */
    static void recordMove(Manifest manifest, Path outDir, String partName, String finalName, ContentStamps stamps)
            throws IOException {
        BitSet all = new BitSet();
        all.set(0, manifest.chunkCount());
        write(manifest, outDir, partName, finalName, LastStop.CLEAN, stamps.digest(), all);
    }

    /**
     * Writes a whole sidecar to a temporary file, forces it and renames it over the sidecar's name, so it is whole
     * or absent; returns its path. An empty {@code finalName} says the content is not moved yet.
     */
    private static Path write(Manifest manifest, Path outDir, String partName, String finalName, LastStop stop,
            byte[] stamps, BitSet marked) throws IOException {
        Path target = pathFor(manifest.contentId(), outDir);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new StoreFailure("cannot record the download's progress: " + target + " is taken by something"
                    + " that is not a kadshare record");
        }
        Path tmp = outDir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a leftover of ours, or a link: removed, never written through
        byte[] canonical = manifest.canonicalBytes();
        byte[] part = partName.getBytes(StandardCharsets.UTF_8);
        byte[] placed = finalName.getBytes(StandardCharsets.UTF_8);
        long bitmapOffset = bitmapOffset(stampsOffset(partName, finalName), manifest);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate((int) bitmapOffset);
            header.put(MAGIC).put(VERSION).put(stop == LastStop.CLEAN ? (byte) 1 : (byte) 0)
                    .putShort((short) part.length).put(part).putShort((short) placed.length).put(placed)
                    .put(stamps).putInt(canonical.length).put(canonical).flip();
            writeFully(ch, header, 0);
            if (!marked.isEmpty()) {
                ByteBuffer bitmap = ByteBuffer.allocate(manifest.chunkCount());
                marked.stream().filter(i -> i < manifest.chunkCount()).forEach(i -> bitmap.put(i, (byte) 1));
                writeFully(ch, bitmap, bitmapOffset);
            } else if (manifest.chunkCount() > 0) {
                // Zero bitmap: extend the file (sparse where the filesystem allows) rather than write zeros.
                writeFully(ch, ByteBuffer.allocate(1), bitmapOffset + manifest.chunkCount() - 1);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * The names of the partial files that the sidecars of other contents than {@code id} in {@code outDir} claim:
     * each is another download's, in progress or paused, whatever content of the same name and length finds it.
     * A sidecar too damaged to name its part claims nothing.
     */
    static Set<String> partsClaimedBesides(ContentId id, Path outDir) throws IOException {
        Set<String> claimed = new HashSet<>();
        String own = pathFor(id, outDir).getFileName().toString();
        try (DirectoryStream<Path> sidecars = Files.newDirectoryStream(outDir, ".*" + SUFFIX)) {
            for (Path sidecar : sidecars) {
                if (!sidecar.getFileName().toString().equals(own)) {
                    partNameIn(sidecar).ifPresent(claimed::add);
                }
            }
        }
        return claimed;
    }

    /** The part a sidecar names, read without changing it. */
    private static Optional<String> partNameIn(Path sidecar) throws IOException {
        return parse(sidecar).map(Parsed::part);
    }

    /** How many bytes the sidecar of {@code manifest} takes, at most. */
    static long sizeFor(Manifest manifest) {
        return STOP_OFFSET + 1 + 2 * (2 + LocalName.MAX_BYTES) + STAMPS_BYTES + 4 + manifest.canonicalBytes().length
                + manifest.chunkCount();
    }

    /** What the sidecar of {@code id} in {@code outDir} says of its content's move into place, if it was moved. */
    static Optional<Move> moveFor(ContentId id, Path outDir) throws IOException {
        return claimFor(id, outDir).flatMap(Claim::move);
    }

    /**
     * What the sidecar for {@code id} in {@code outDir} claims, if there is one whose header and manifest are whole and
     * name that id; read without changing it (nor its stop byte), unlike {@link #load}.
     */
    static Optional<Claim> claimFor(ContentId id, Path outDir) throws IOException {
        Optional<Parsed> parsed = parse(pathFor(id, outDir));
        if (parsed.isEmpty() || !parsed.get().manifest().contentId().equals(id)) {
            return Optional.empty();
        }
        Parsed p = parsed.get();
        return Optional.of(new Claim(p.manifest(), p.part(),
                p.finalName().map(finalName -> new Move(finalName, p.stamps()))));
    }

    /**
     * The sidecar for {@code id} in {@code outDir}, if there is one whose header and manifest are whole and name
     * that id. A bitmap of the wrong length is set right; the marks it still holds are kept, as after a crash. A
     * sidecar of an earlier version is rewritten as this one, its stop unclean unless its stamps vouch for it.
     */
    static Optional<Loaded> load(ContentId id, Path outDir) throws IOException {
        Path path = pathFor(id, outDir);
        Optional<Parsed> parsed = parse(path);
        if (parsed.isEmpty() || !parsed.get().manifest().contentId().equals(id)) {
            return Optional.empty();
        }
        Parsed p = parsed.get();
        Manifest manifest = p.manifest();
        String partName = p.part();
        LastStop lastStop = p.stop();
        // A bitmap cut short or followed by stray bytes still holds marks worth checking: the chunks it marks
        // are hashed again (as after a crash) rather than the whole partial download thrown away.
        long expectedLength = p.bitmapOffset() + manifest.chunkCount();
        if (p.size() != expectedLength) {
            lastStop = LastStop.UNCLEAN;
        }
        int marks = (int) Math.max(0, Math.min(manifest.chunkCount(), p.bytes().length - p.bitmapOffset()));
        BitSet verified = new BitSet(manifest.chunkCount());
        for (int i = 0; i < marks; i++) {
            if (p.bytes()[(int) p.bitmapOffset() + i] == 1) {
                verified.set(i);
            }
        }
        if (p.version() != VERSION) {
            // Rewritten in the new form, in use. Before stamps, nothing vouches that the part is as it was closed:
            // its marks are checked, once; a version 4 sidecar's stamps still vouch for its clean stop.
            return Optional.of(new Loaded(manifest, partName, verified,
                    p.version() == VERSION_WITHOUT_FINAL_NAME ? lastStop : LastStop.UNCLEAN, p.stamps(),
                    create(manifest, outDir, partName, verified)));
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException settled) {
            return Optional.empty(); // gone since it was read: settled by the node's writer, the move long done
        }
        if (p.size() > expectedLength) {
            channel.truncate(expectedLength);
        } else if (p.size() < expectedLength) {
            writeFully(channel, ByteBuffer.allocate(1), expectedLength - 1); // unmarked to the end, as create leaves it
        }
        ResumeState state = new ResumeState(path, channel, p.stampsOffset(), p.bitmapOffset());
        // From here on the download is in use again: until the next clean close, the marks are not proof.
        state.writeStop((byte) 0);
        return Optional.of(new Loaded(manifest, partName, verified, lastStop, p.stamps(), state));
    }

    /**
     * A sidecar's fields, if it is one whose header and manifest are whole: read without changing it, at most as
     * many bytes as a sidecar holds (the file's size, like any of its bytes, is not to be trusted).
     */
    private static Optional<Parsed> parse(Path path) throws IOException {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        long size;
        byte[] bytes;
        // A sidecar kept after its move goes whenever the node's writer settles it, so it may vanish under us.
        try (InputStream file = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            size = Files.size(path);
            bytes = file.readNBytes((int) Math.min(size, MAX_BYTES));
        } catch (NoSuchFileException settled) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < STOP_OFFSET + 1 + 4 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            return Optional.empty();
        }
        in.position(MAGIC.length);
        byte version = in.get();
        if (version != VERSION && version != VERSION_WITHOUT_FINAL_NAME && version != VERSION_WITHOUT_STAMPS
                && version != VERSION_WITHOUT_PART_NAME) {
            return Optional.empty();
        }
        LastStop stop = in.get() == 1 ? LastStop.CLEAN : LastStop.UNCLEAN;
        Optional<String> partName = Optional.empty();
        Optional<String> finalName = Optional.empty();
        if (version != VERSION_WITHOUT_PART_NAME) {
            partName = name(in);
            if (partName.isEmpty()) {
                return Optional.empty();
            }
        }
        if (version == VERSION) {
            Optional<String> placed = name(in);
            if (placed.isEmpty()) {
                return Optional.empty();
            }
            finalName = placed.filter(name -> !name.isEmpty()); // none until the move
        }
        long stampsOffset = in.position();
        byte[] stamps = new byte[STAMPS_BYTES];
        if (version == VERSION || version == VERSION_WITHOUT_FINAL_NAME) {
            if (STAMPS_BYTES + 4 > in.remaining()) {
                return Optional.empty();
            }
            in.get(stamps);
        }
        int manifestLength = in.getInt();
        if (manifestLength < 0 || manifestLength > in.remaining()) {
            return Optional.empty();
        }
        Manifest manifest;
        try {
            manifest = Manifest.decode(Arrays.copyOfRange(bytes, in.position(), in.position() + manifestLength));
        } catch (MalformedManifestException e) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(version, stop, partName, finalName, stamps, manifest, stampsOffset,
                in.position() + (long) manifestLength, size, bytes));
    }

    /**
     * The name at {@code in}'s position, a {@code u16} length and that many bytes of UTF-8 (followed by at least the
     * 4 bytes of the manifest's length); empty if it is too long, runs past the header or is no UTF-8.
     */
    private static Optional<String> name(ByteBuffer in) {
        int length = in.getShort() & 0xffff;
        if (length > LocalName.MAX_BYTES || length + 4 > in.remaining()) {
            return Optional.empty();
        }
        byte[] name = new byte[length];
        in.get(name);
        try {
            // Strictly: a name that is no UTF-8 names no file of ours (lenient decoding would rename it).
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(name)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Records chunk {@code index} as verified; call only after its bytes were written. */
    void markVerified(int index) throws IOException {
        writeFully(channel, ONE.duplicate(), bitmapOffset + index);
    }

    /** Takes back the mark of chunk {@code index}, whose bytes turned out not to match. */
    void unmark(int index) throws IOException {
        writeFully(channel, ByteBuffer.allocate(1), bitmapOffset + index);
    }

    /**
     * Says the marks can be trusted while the part keeps {@code partStamps}; call only once the marked chunks' data
     * is forced to disk, with the part's stamps taken after its last write.
     */
    void markClosedCleanly(ContentStamps partStamps) throws IOException {
        writeFully(channel, ByteBuffer.wrap(partStamps.digest()), stampsOffset);
        writeStop((byte) 1);
    }

    private void writeStop(byte stop) throws IOException {
        channel.force(false); // every mark before the stop byte changes
        writeFully(channel, ByteBuffer.wrap(new byte[] {stop}), STOP_OFFSET);
        channel.force(false);
    }

    void force() throws IOException {
        channel.force(false);
    }

    void delete() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }

    static void deleteFor(ContentId id, Path outDir) throws IOException {
        Files.deleteIfExists(pathFor(id, outDir));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        while (src.hasRemaining()) {
            position += ch.write(src, position);
        }
    }
}
