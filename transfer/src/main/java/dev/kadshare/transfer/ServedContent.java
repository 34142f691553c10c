package dev.kadshare.transfer;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.Naming;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * What a server serves for one content id: a complete share, or a download in progress serving the
 * chunks it already holds. Thread-safe: a download adds chunks on its loop while server sessions on other
 * loops read and subscribe.
 */
public final class ServedContent {
    private final Manifest manifest;
    private final Naming naming;
    /** Volatile: a finished download moves its file while sessions on other loops go on serving it. */
    private volatile Path root;
    private final BitSet held;
    private final List<IntConsumer> subscribers = new CopyOnWriteArrayList<>();
    private final PeerHoldings peerHoldings;

    private ServedContent(Manifest manifest, Naming naming, Path root, BitSet held) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.naming = Objects.requireNonNull(naming, "naming");
        this.root = Objects.requireNonNull(root, "root");
        this.held = held;
        this.peerHoldings = new PeerHoldings(manifest.chunkCount());
    }

    /** A complete share: every chunk, from its file (or directory). */
    public static ServedContent complete(SharedContent content) {
        BitSet all = new BitSet();
        all.set(0, content.manifest().chunkCount());
        return new ServedContent(content.manifest(), content.naming(), content.file(), all);
    }

    /** A partial download in {@code partRoot} (its files named as a download names them), holding {@code held}. */
    public static ServedContent partial(Manifest manifest, Path partRoot, BitSet held) {
        return new ServedContent(manifest, Naming.LOCAL, partRoot, (BitSet) held.clone());
    }

    public Manifest manifest() {
        return manifest;
    }

    /** What other nodes are known to hold of this content: a download in progress records what it hears. */
    public PeerHoldings peerHoldings() {
        return peerHoldings;
    }

    /** Where each byte is when the content lies at {@code root}, its files named as this content's are. */
    public ContentLayout layoutAt(Path root) {
        return ContentLayout.of(manifest, root, naming);
    }

    /** The file, or the directory of a directory share, that holds the bytes. */
    public Path root() {
        return root;
    }

    /**
     * The bytes now live at {@code movedRoot}: a finished download renamed its partial file into place, and
     * the sessions that served the partial file go on serving the same content from there rather than fail
     * on the old path and drop their peers (who would not dial again before their next peer lookup).
     */
    public void movedTo(Path movedRoot) {
        root = Objects.requireNonNull(movedRoot, "movedRoot");
    }

    public synchronized boolean holds(int index) {
        return held.get(index);
    }

    /** A copy of the chunks held now. */
    public synchronized BitSet held() {
        return (BitSet) held.clone();
    }

    /**
     * Calls {@code onHave} with every chunk added from now on, on the adding thread (so it must only hand
     * off, e.g. to a channel's event loop). Close the returned handle to stop.
     */
    public AutoCloseable subscribe(IntConsumer onHave) {
        subscribers.add(onHave);
        return () -> subscribers.remove(onHave);
    }

    /** Records a newly verified chunk and tells the subscribers. */
    public void add(int index) {
        synchronized (this) {
            if (held.get(index)) {
                return;
            }
            held.set(index);
        }
        subscribers.forEach(s -> s.accept(index));
    }
}
