package dev.kadshare.transfer.serving;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.FileSpan;
import dev.kadshare.transfer.store.Naming;
import dev.kadshare.transfer.store.ReadPath;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * This node's copy of one content, as a hub serves it: where its files are, which chunks it holds, and whether its
 * files are being moved (a finished download renaming its partial file into place), during which nothing is read
 * from them. Pure: it names files, it opens none. Not thread-safe.
 */
public final class LocalCopy {
    private final Manifest manifest;
    private final Naming naming;
    private final BitSet held;
    private final ReadPath reads;
    private int heldCount;
    private Path root;
    private ContentLayout layout;
    private boolean moving;

    private LocalCopy(Manifest manifest, Naming naming, Path root, BitSet held, ReadPath reads) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.naming = Objects.requireNonNull(naming, "naming");
        this.root = Objects.requireNonNull(root, "root");
        this.held = held;
        this.reads = reads;
        this.heldCount = held.cardinality();
    }

    /** Every chunk, from the file (or directory) at {@code root}, its files named as {@code naming} says. */
    public static LocalCopy complete(Manifest manifest, Naming naming, Path root) {
        BitSet all = new BitSet();
        all.set(0, manifest.chunkCount());
        return new LocalCopy(manifest, naming, root, all, ReadPath.PAGE_CACHE);
    }

    /**
     * A download's partial content at {@code partRoot} (its files named as a download names them), holding {@code held};
     * read around the page cache, as its store wrote it (and goes on being so once the download moves it into place).
     */
    public static LocalCopy partial(Manifest manifest, Path partRoot, BitSet held) {
        return new LocalCopy(manifest, Naming.LOCAL, partRoot, held.get(0, manifest.chunkCount()), ReadPath.DIRECT);
    }

    public Manifest manifest() {
        return manifest;
    }

    public Path root() {
        return root;
    }

    /** How its files are best read. */
    public ReadPath reads() {
        return reads;
    }

    public boolean holds(int index) {
        return held.get(index);
    }

    /** A copy of the chunks held. */
    public BitSet held() {
        return (BitSet) held.clone();
    }

    /** Records a newly held chunk; false if it was held already (or is no chunk of this content). */
    public boolean add(int index) {
        if (index < 0 || index >= manifest.chunkCount() || held.get(index)) {
            return false;
        }
        held.set(index);
        heldCount++;
        return true;
    }

    public boolean isComplete() {
        return heldCount == manifest.chunkCount();
    }

    /** The files are about to move: read nothing until {@link #movedTo}. */
    public void moving() {
        moving = true;
    }

    /** The files are at {@code newRoot} now (or still where they were, if the move failed). */
    public void movedTo(Path newRoot) {
        moving = false;
        if (!newRoot.equals(root)) {
            root = newRoot;
            layout = null;
        }
    }

    public boolean isMoving() {
        return moving;
    }

    /** Where the bytes of chunk {@code index} are: one span, or several for a chunk across a directory's files. */
    public List<FileSpan> spans(int index) {
        if (layout == null) {
            layout = ContentLayout.of(manifest, root, naming);
        }
        return layout.spans(manifest.chunkOffset(index), manifest.chunkLength(index));
    }
}
