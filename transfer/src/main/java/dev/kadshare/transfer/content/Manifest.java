package dev.kadshare.transfer.content;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a content id names: a file's (or directory's) name, length, chunk size and the SHA-256 of every chunk.
 *
 * <p>Canonical bytes, format version 1, all integers big-endian. This layout is hand-specified and
 * must never change silently: the content id is the SHA-256 of these bytes, so any change makes every
 * existing id unreachable. A new layout needs a new version byte.
 *
 * <pre>
 * offset  size        field
 * 0       4           magic "KSMF" (0x4B 0x53 0x4D 0x46)
 * 4       1           format version = 1
 * 5       2           name length N in bytes, 1..255
 * 7       N           name, UTF-8 (no '/', '\', NUL; not "." or "..")
 * 7+N     8           content length in bytes, &gt;= 0
 * 15+N    4           chunk size in bytes, 1..MAX_CHUNK_SIZE
 * 19+N    4           chunk count C = ceil(length / chunk size)
 * 23+N    32 * C      SHA-256 of each chunk, in order
 * </pre>
 * Nothing may follow the last hash.
 *
 * <p>Format version 2 describes a directory: the content is its files concatenated in manifest order,
 * chunked across file boundaries.
 * <pre>
 * "KSMF" · u8 version = 2 · u16 N · name (as above) · u32 file count F ·
 * F times: u16 P · UTF-8 relative path ('/'-separated, see {@link ContentFile}) · u64 file length ·
 * u32 chunk size · u32 chunk count C = ceil(sum of file lengths / chunk size) · 32 * C hash bytes
 * </pre>
 * Paths are unique and no path is a directory of another, so every byte has exactly one place on disk; F is at
 * most {@link #MAX_FILES}.
 */
public final class Manifest {
    /** A chunk size for callers that fix one (tests, benchmarks); a node shares with {@link #chunkSizeFor}. */
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    /** The smallest chunk {@link #chunkSizeFor} picks: below it, per-chunk costs outweigh finer swarming. */
    public static final int MIN_AUTO_CHUNK_SIZE = 64 << 10;
    /** {@link #chunkSizeFor} aims for at least this many chunks, so a swarm has pieces to trade. */
    static final int TARGET_CHUNKS = 256;
    /** The largest chunk {@link #chunkSizeFor} picks below {@link #MAX_AUTO_CHUNKS} chunks; it says why. */
    public static final int MAX_AUTO_CHUNK_SIZE = 4 << 20;
    /** Beyond this many chunks {@link #chunkSizeFor} grows them, so the manifest stays small (1 MiB of hashes). */
    static final int MAX_AUTO_CHUNKS = 32768;
    /** Upper bound so one chunk always fits in one wire frame. */
    public static final int MAX_CHUNK_SIZE = 16 << 20;
    public static final int MAX_NAME_BYTES = 255;
    /**
     * The most files a directory content holds. A manifest frame could list about 1.25 million empty files; a node
     * holds a path for each while it downloads, and that many took more than a daemon's 256 MiB heap.
     */
    public static final int MAX_FILES = 100_000;
    public static final byte FORMAT_VERSION = 1;
    public static final byte DIRECTORY_FORMAT_VERSION = 2;
    private static final byte[] MAGIC = {'K', 'S', 'M', 'F'};
    private static final int FIXED_BYTES = MAGIC.length + 1 + 2 + 8 + 4 + 4;

    private final String name;
    private final long length;
    private final int chunkSize;
    private final byte[] hashes; // chunkCount * 32, concatenated: compact for large files
    private final Optional<List<ContentFile>> files; // present for a directory (version 2)
    private final byte[] canonical;
    private final ContentId contentId;

    private Manifest(String name, long length, int chunkSize, byte[] hashes, Optional<List<ContentFile>> files) {
        this.files = files;
        this.name = name;
        this.length = length;
        this.chunkSize = chunkSize;
        this.hashes = hashes;
        this.canonical = encode();
        this.contentId = ContentId.of(Sha256.of(canonical));
    }

    /**
     * Builds a manifest from its parts.
     *
     * @throws IllegalArgumentException when the name is invalid, sizes are out of range, or the number
     *     of hashes does not match the length
     */
    public static Manifest of(String name, long length, int chunkSize, List<byte[]> chunkHashes) {
        byte[] all = new byte[Math.multiplyExact(chunkHashes.size(), Sha256.LENGTH)];
        for (int i = 0; i < chunkHashes.size(); i++) {
            byte[] h = chunkHashes.get(i);
            if (h.length != Sha256.LENGTH) {
                throw new IllegalArgumentException("chunk hash " + i + " is " + h.length + " bytes, not 32");
            }
            System.arraycopy(h, 0, all, i * Sha256.LENGTH, Sha256.LENGTH);
        }
        return validated(name, length, chunkSize, all);
    }

    /** Builds a directory manifest from its parts; the length is the sum of the file lengths. */
    public static Manifest ofFiles(String name, List<ContentFile> files, int chunkSize, List<byte[]> chunkHashes) {
        Manifest single = of(name, totalLength(files), chunkSize, chunkHashes);
        return validated(name, single.length, chunkSize, single.hashes, Optional.of(List.copyOf(files)));
    }

    private static long totalLength(List<ContentFile> files) {
        long total = 0;
        for (ContentFile f : files) {
            total = Math.addExact(total, f.length());
        }
        return total;
    }

    private static Manifest validated(String name, long length, int chunkSize, byte[] hashes) {
        return validated(name, length, chunkSize, hashes, Optional.empty());
    }

    private static Manifest validated(String name, long length, int chunkSize, byte[] hashes,
            Optional<List<ContentFile>> files) {
        validateName(name);
        if (files.isPresent()) {
            requireAtMostMaxFiles(files.get().size());
            validateLayout(files.get());
            if (totalLength(files.get()) != length) {
                throw new IllegalArgumentException("file lengths do not add up to " + length);
            }
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " outside 1.." + MAX_CHUNK_SIZE);
        }
        long expected = chunkCountFor(length, chunkSize);
        if (hashes.length / Sha256.LENGTH != expected || hashes.length % Sha256.LENGTH != 0) {
            throw new IllegalArgumentException(
                    "length " + length + " needs " + expected + " chunk hashes, got " + hashes.length / Sha256.LENGTH);
        }
        return new Manifest(name, length, chunkSize, hashes, files);
    }

    /**
     * Unique paths, and no file where another needs a directory ("a" and "a/b"). Sorted with '/' as the
     * lowest character (NUL stands in for it: no path holds one), a file that is also a directory is directly
     * followed by a path under it, so one pass over neighbours finds it: looking every directory prefix of
     * every path up cost a peer's manifest of deep paths time and memory quadratic in their length.
     */
    private static void validateLayout(List<ContentFile> files) {
        List<String> sorted = new ArrayList<>(files.size());
        for (ContentFile f : files) {
            sorted.add(f.path().replace('/', '\0'));
        }
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            String previous = sorted.get(i - 1);
            String path = sorted.get(i);
            if (path.equals(previous)) {
                throw new IllegalArgumentException("duplicate path " + path.replace('\0', '/'));
            }
            if (path.length() > previous.length() && path.startsWith(previous) && path.charAt(previous.length()) == 0) {
                throw new IllegalArgumentException(previous.replace('\0', '/') + " is both a file and a directory");
            }
        }
    }

    /**
     * The chunk size a node shares content of {@code length} bytes with: a power of two giving at least
     * {@link #TARGET_CHUNKS} chunks, between {@link #MIN_AUTO_CHUNK_SIZE} and {@link #MAX_AUTO_CHUNK_SIZE}, and
     * larger only to keep a huge file within {@link #MAX_AUTO_CHUNKS} chunks. Small chunks let a swarm spread a
     * file sooner (64 chunks of a 64 MiB file keep 1,000 downloaders 1.37 times the ideal time in the
     * simulation, 256 chunks 1.16); large ones cost less per byte to move: every chunk is a request, a frame, a
     * hash job, a write, HAVEs and the code that runs for each, which the JIT compiles only after thousands of
     * chunks. A 1 GiB file in 4 MiB chunks rather than 1 MiB took the median warm round of a 1 + 4 swarm of daemons
     * from 15.6-16.9 s to 11.2-11.6 s (two runs each; docs/benchmarks.md).
     */
    public static int chunkSizeFor(long length) {
        long wanted = Long.highestOneBit(Math.max(1, length / TARGET_CHUNKS));
        long size = Math.max(MIN_AUTO_CHUNK_SIZE, Math.min(MAX_AUTO_CHUNK_SIZE, wanted));
        while (size < MAX_CHUNK_SIZE && length / size > MAX_AUTO_CHUNKS) {
            size <<= 1;
        }
        return (int) size;
    }

    /** {@link #ofFile(Path, String, int)} with the chunk size {@link #chunkSizeFor} the file's length. */
    public static Manifest ofFile(Path file, String name) throws IOException {
        return ofFile(file, name, chunkSizeFor(Files.size(file)));
    }

    /** {@link #ofDirectory(Path, String, int)} with the chunk size {@link #chunkSizeFor} the files' total length. */
    public static Manifest ofDirectory(Path dir, String name) throws IOException {
        long total = 0;
        for (Path p : regularFilesOf(dir)) {
            total += Files.size(p);
        }
        return ofDirectory(dir, name, chunkSizeFor(total));
    }

    /**
     * The regular files at or below {@code path}, in order, found without following a symbolic link: what a share of
     * it holds (a link inside a shared directory is left out).
     */
    public static List<Path> regularFilesOf(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /** Hashes a file chunk by chunk with the JDK's SHA-256. */
    public static Manifest ofFile(Path file, String name, int chunkSize) throws IOException {
        validateName(name);
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " outside 1.." + MAX_CHUNK_SIZE);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            long count = chunkCountFor(length, chunkSize);
            if (count * Sha256.LENGTH > Integer.MAX_VALUE - 64) {
                throw new IOException("file too large for chunk size " + chunkSize + ": " + length + " bytes");
            }
            byte[] hashes = new byte[(int) count * Sha256.LENGTH];
            ByteBuffer buf = ByteBuffer.allocateDirect(chunkSize);
            MessageDigest digest = Sha256.newDigest();
            for (int i = 0; i < count; i++) {
                buf.clear();
                buf.limit((int) Math.min(chunkSize, length - (long) i * chunkSize));
                long position = (long) i * chunkSize;
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, position + buf.position());
                    if (n < 0) {
                        throw new IOException(file + " shrank while hashing");
                    }
                }
                buf.flip();
                digest.update(buf);
                System.arraycopy(digest.digest(), 0, hashes, i * Sha256.LENGTH, Sha256.LENGTH);
            }
            return validated(name, length, chunkSize, hashes);
        }
    }

    /**
     * Hashes every regular file under {@code dir} (symbolic links are not followed), in path order, as
     * one stream chunked across file boundaries.
     */
    public static Manifest ofDirectory(Path dir, String name, int chunkSize) throws IOException {
        validateName(name);
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " outside 1.." + MAX_CHUNK_SIZE);
        }
        List<Path> paths = regularFilesOf(dir);
        requireAtMostMaxFiles(paths.size()); // before hashing any of them
        List<ContentFile> files = new ArrayList<>();
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.min(chunkSize, 1 << 20));
        long inChunk = 0;
        for (Path p : paths) {
            StringBuilder relative = new StringBuilder();
            for (Path component : dir.relativize(p)) {
                relative.append(relative.length() == 0 ? "" : "/").append(component);
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                files.add(new ContentFile(relative.toString(), ch.size()));
                long position = 0;
                while (position < ch.size()) {
                    buf.clear();
                    buf.limit((int) Math.min(buf.capacity(), chunkSize - inChunk));
                    int n = ch.read(buf, position);
                    if (n < 0) {
                        throw new IOException(p + " shrank while hashing");
                    }
                    position += n;
                    inChunk += n;
                    digest.update(buf.flip());
                    if (inChunk == chunkSize) {
                        hashes.writeBytes(digest.digest());
                        inChunk = 0;
                    }
                }
            }
        }
        if (inChunk > 0) {
            hashes.writeBytes(digest.digest());
        }
        long length = totalLength(files);
        if (chunkCountFor(length, chunkSize) * Sha256.LENGTH > Integer.MAX_VALUE - 64) {
            throw new IOException("directory too large for chunk size " + chunkSize + ": " + length + " bytes");
        }
        return validated(name, length, chunkSize, hashes.toByteArray(), Optional.of(List.copyOf(files)));
    }

    /** Parses canonical bytes; rejects anything that is not exactly a version-1 manifest. */
    public static Manifest decode(byte[] bytes) throws MalformedManifestException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new MalformedManifestException("not a manifest (bad magic)");
            }
            byte version = in.get();
            if (version != FORMAT_VERSION && version != DIRECTORY_FORMAT_VERSION) {
                throw new MalformedManifestException("unsupported manifest format version " + version);
            }
            int nameLength = Short.toUnsignedInt(in.getShort());
            if (nameLength < 1 || nameLength > MAX_NAME_BYTES) {
                throw new MalformedManifestException("name length " + nameLength + " outside 1.." + MAX_NAME_BYTES);
            }
            byte[] nameBytes = new byte[nameLength];
            in.get(nameBytes);
            String name = strictUtf8(nameBytes);
            Optional<List<ContentFile>> files = Optional.empty();
            long length;
            if (version == DIRECTORY_FORMAT_VERSION) {
                long count = Integer.toUnsignedLong(in.getInt());
                if (count > in.remaining() / 10) { // each entry takes at least 10 bytes: no huge allocation
                    throw new MalformedManifestException("file count " + count + " exceeds the manifest");
                }
                requireAtMostMaxFiles(count);
                List<ContentFile> list = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    byte[] pathBytes = new byte[Short.toUnsignedInt(in.getShort())];
                    in.get(pathBytes);
                    list.add(new ContentFile(strictUtf8(pathBytes), in.getLong()));
                }
                files = Optional.of(List.copyOf(list));
                length = totalLength(list);
            } else {
                length = in.getLong();
            }
            int chunkSize = in.getInt();
            long chunkCount = Integer.toUnsignedLong(in.getInt());
            if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
                throw new MalformedManifestException("chunk size " + chunkSize + " outside 1.." + MAX_CHUNK_SIZE);
            }
            if (length < 0 || chunkCount != chunkCountFor(length, chunkSize)) {
                throw new MalformedManifestException("chunk count " + chunkCount + " does not fit length " + length);
            }
            if (in.remaining() != chunkCount * Sha256.LENGTH) {
                throw new MalformedManifestException(
                        "expected " + chunkCount * Sha256.LENGTH + " hash bytes, found " + in.remaining());
            }
            byte[] hashes = new byte[in.remaining()];
            in.get(hashes);
            return validated(name, length, chunkSize, hashes, files);
        } catch (BufferUnderflowException e) {
            throw new MalformedManifestException("truncated manifest", e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new MalformedManifestException(e.getMessage(), e);
        }
    }

    private static String strictUtf8(byte[] bytes) throws MalformedManifestException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedManifestException("name is not valid UTF-8", e);
        }
    }

    private static void requireAtMostMaxFiles(long count) {
        if (count > MAX_FILES) {
            throw new IllegalArgumentException("a directory of " + count + " files: one content holds at most "
                    + MAX_FILES);
        }
    }

    /** A name is a single path component: it must never let a download escape its output directory. */
    public static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name may not be '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == 0) {
                throw new IllegalArgumentException("name may not contain '/', '\\' or NUL: " + name);
            }
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(name)) {
            // An unpaired surrogate has no UTF-8 form; getBytes would silently replace it.
            throw new IllegalArgumentException("name is not encodable as UTF-8");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name is " + bytes + " UTF-8 bytes, max " + MAX_NAME_BYTES);
        }
    }

    private static long chunkCountFor(long length, int chunkSize) {
        return length == 0 ? 0 : (length - 1) / chunkSize + 1;
    }

    private byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (files.isEmpty()) {
            ByteBuffer out = ByteBuffer.allocate(FIXED_BYTES + nameBytes.length + hashes.length);
            out.put(MAGIC).put(FORMAT_VERSION).putShort((short) nameBytes.length).put(nameBytes);
            out.putLong(length).putInt(chunkSize).putInt(chunkCount()).put(hashes);
            return out.array();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(MAGIC);
            out.writeByte(DIRECTORY_FORMAT_VERSION);
            out.writeShort(nameBytes.length);
            out.write(nameBytes);
            out.writeInt(files.get().size());
            for (ContentFile f : files.get()) {
                byte[] path = f.path().getBytes(StandardCharsets.UTF_8);
                out.writeShort(path.length);
                out.write(path);
                out.writeLong(f.length());
            }
            out.writeInt(chunkSize);
            out.writeInt(chunkCount());
            out.write(hashes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    /** True for a directory share (format version 2). */
    public boolean isDirectory() {
        return files.isPresent();
    }

    /** The files of a directory share in content order; empty for a single file. */
    public List<ContentFile> files() {
        return files.orElse(List.of());
    }

    public String name() {
        return name;
    }

    public long length() {
        return length;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunkCount() {
        return hashes.length / Sha256.LENGTH;
    }

    /** Length of chunk {@code index}; only the last chunk may be shorter than the chunk size. */
    public int chunkLength(int index) {
        checkIndex(index);
        return (int) Math.min(chunkSize, length - chunkOffset(index));
    }

    /** Byte offset of chunk {@code index} in the file. */
    public long chunkOffset(int index) {
        checkIndex(index);
        return (long) index * chunkSize;
    }

    public byte[] chunkHash(int index) {
        checkIndex(index);
        return Arrays.copyOfRange(hashes, index * Sha256.LENGTH, (index + 1) * Sha256.LENGTH);
    }

    /** True when {@code body} (its remaining bytes) is exactly chunk {@code index}: right length and SHA-256. */
    public boolean verifies(int index, ByteBuffer body) {
        if (body.remaining() != chunkLength(index)) {
            return false;
        }
        return MessageDigest.isEqual(Sha256.of(body), chunkHash(index));
    }

    public byte[] canonicalBytes() {
        return canonical.clone();
    }

    /** The length of {@link #canonicalBytes()}, without copying them. */
    public int canonicalLength() {
        return canonical.length;
    }

    public ContentId contentId() {
        return contentId;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= chunkCount()) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCount());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest other && Arrays.equals(canonical, other.canonical);
    }

    @Override
    public int hashCode() {
        return contentId.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + name + ", " + length + " bytes, " + chunkCount() + " x " + chunkSize + ", " + contentId + "]";
    }
}
