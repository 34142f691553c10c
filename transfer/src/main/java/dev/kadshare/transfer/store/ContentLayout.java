package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each byte of a content lives under a root: the root itself for a single file, or the manifest's
 * files under the root directory. Every path is checked to stay inside the root, on top of the manifest's
 * own path validation, before anything can be written.
 */
public final class ContentLayout {
    private final Path root;
    private final List<Path> files;
    private final long[] starts; // content offset of each file's first byte
    private final long[] lengths;

    private ContentLayout(Path root, List<Path> files, long[] starts, long[] lengths) {
        this.root = root;
        this.files = files;
        this.starts = starts;
        this.lengths = lengths;
    }

    /** The layout of {@code manifest} stored at {@code root} (the file, or the directory of a directory share). */
    public static ContentLayout of(Manifest manifest, Path root) {
        return of(manifest, root, Naming.ORIGINAL);
    }

    /** As {@link #of(Manifest, Path)}, with the files named as {@code naming} says. */
    public static ContentLayout of(Manifest manifest, Path root, Naming naming) {
        if (!manifest.isDirectory()) {
            return new ContentLayout(root, List.of(root), new long[] {0}, new long[] {manifest.length()});
        }
        Path base = root.toAbsolutePath().normalize();
        List<ContentFile> entries = manifest.files();
        List<Path> paths = new ArrayList<>(entries.size());
        long[] starts = new long[entries.size()];
        long[] lengths = new long[entries.size()];
        long offset = 0;
        for (int i = 0; i < entries.size(); i++) {
            Path p = base;
            for (String component : entries.get(i).path().split("/")) {
                p = p.resolve(naming == Naming.LOCAL ? LocalName.of(component) : component);
            }
            p = p.normalize();
            if (!p.startsWith(base) || p.equals(base)) {
                throw new IllegalArgumentException(entries.get(i).path() + " would land outside " + base);
            }
            paths.add(p);
            starts[i] = offset;
            lengths[i] = entries.get(i).length();
            offset += lengths[i];
        }
        return new ContentLayout(base, List.copyOf(paths), starts, lengths);
    }

    /** The file of a single-file content, or the directory of a directory share. */
    public Path root() {
        return root;
    }

    /** Every file, in content order. */
    public List<Path> files() {
        return files;
    }

    /** The length of file {@code i} of {@link #files()}. */
    public long length(int i) {
        return lengths[i];
    }

    /** The content offset of the first byte of file {@code i} of {@link #files()}. */
    public long start(int i) {
        return starts[i];
    }

    /** The file spans that hold content bytes {@code [offset, offset + length)}, in order; zero-length files skipped. */
    public List<FileSpan> spans(long offset, int length) {
        List<FileSpan> out = new ArrayList<>(1);
        int i = Arrays.binarySearch(starts, offset);
        if (i < 0) {
            i = -i - 2;
        }
        // Several files may start at the same offset (zero-length ones): move to the last such file.
        while (i + 1 < starts.length && starts[i + 1] <= offset) {
            i++;
        }
        long position = offset;
        long remaining = length;
        for (; remaining > 0 && i < files.size(); i++) {
            long within = position - starts[i];
            long n = Math.min(remaining, lengths[i] - within);
            if (n <= 0) {
                continue;
            }
            out.add(new FileSpan(files.get(i), within, (int) n));
            position += n;
            remaining -= n;
        }
        if (remaining > 0) {
            throw new IndexOutOfBoundsException("content range " + offset + "+" + length + " beyond its files");
        }
        return out;
    }
}
