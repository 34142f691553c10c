package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stamps of a content's files, taken when it was hashed (or when a download finished writing it), to tell
 * whether a file changed since: a shared file the user edited is then not served, rather than sent to peers as
 * chunks that fail their hash (and get this node banned). {@link #NONE} stamps nothing: content this node is
 * writing itself, or a test's.
 */
public final class ContentStamps {
    /** Nothing stamped: every file is taken as unchanged. */
    public static final ContentStamps NONE = new ContentStamps(Map.of());

    private final Map<Path, FileStamp> byFile;

    private ContentStamps(Map<Path, FileStamp> byFile) {
        this.byFile = byFile;
    }

    /** The stamps of the layout's files now; an IOException if one cannot be read (it is gone, say). */
    public static ContentStamps of(ContentLayout layout) throws IOException {
        Map<Path, FileStamp> now = new LinkedHashMap<>();
        for (Path file : layout.files()) {
            now.put(file, FileStamp.of(file));
        }
        return new ContentStamps(now);
    }

    /** The stamps recorded for the layout's files, in its order: one per file. */
    public static ContentStamps recorded(ContentLayout layout, List<FileStamp> stamps) {
        List<Path> files = layout.files();
        if (stamps.size() != files.size()) {
            throw new IllegalArgumentException(stamps.size() + " stamps for " + files.size() + " files");
        }
        Map<Path, FileStamp> recorded = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            recorded.put(files.get(i), stamps.get(i));
        }
        return new ContentStamps(recorded);
    }

    /**
     * The stamps of every regular file at or below {@code path} now, found without following links: taken before a
     * share is hashed, to check after that nothing it hashed changed meanwhile.
     */
    public static ContentStamps ofTree(Path path) throws IOException {
        Map<Path, FileStamp> now = new LinkedHashMap<>();
        for (Path file : Manifest.regularFilesOf(path)) {
            now.put(file, FileStamp.of(file));
        }
        return new ContentStamps(now);
    }

    /**
     * SHA-256 over each stamp in order (its size, then its modification time in nanoseconds, each a big-endian
     * {@code i64}): what a resume sidecar keeps of its partial file's stamps, whatever the number of files.
     */
    public byte[] digest() {
        MessageDigest sha = Sha256.newDigest();
        ByteBuffer stamp = ByteBuffer.allocate(2 * Long.BYTES);
        for (FileStamp s : byFile.values()) {
            sha.update(stamp.clear().putLong(s.size()).putLong(s.modifiedNanos()).flip());
        }
        return sha.digest();
    }

    /** The stamps in the order they were taken, to record. */
    public List<FileStamp> inOrder() {
        return new ArrayList<>(byFile.values());
    }

    /** Whether every file stamped here has the same stamp in {@code earlier}. */
    public boolean agreesWith(ContentStamps earlier) {
        return byFile.entrySet().stream().allMatch(e -> e.getValue().equals(earlier.byFile.get(e.getKey())));
    }

    /** Whether {@code file} is as it was stamped (true for a file not stamped); an IOException if it cannot be read. */
    public boolean unchanged(Path file) throws IOException {
        FileStamp then = byFile.get(file);
        return then == null || then.equals(FileStamp.of(file));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentStamps other && byFile.equals(other.byFile);
    }

    @Override
    public int hashCode() {
        return byFile.hashCode();
    }

    @Override
    public String toString() {
        return "ContentStamps" + byFile;
    }
}
