package dev.kadshare.transfer;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.netty.NettyServingHub;
import dev.kadshare.transfer.serving.HubEvent;
import dev.kadshare.transfer.serving.LocalCopy;
import dev.kadshare.transfer.serving.PeerHoldings;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.Naming;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a server serves for one content id: a complete share, or a download in progress serving the chunks it
 * already holds. A complete one is a description, made afresh for each look-up. A partial one belongs to its
 * download's event loop ({@code home}): the download tells it, there, of every chunk it verifies, of what it hears
 * peers hold and of the move of its files into place, and the hub that serves it runs on that same loop. Until a
 * server first serves it, it keeps that news itself; the hub then takes it over, and is told directly from then on.
 */
public final class ServedContent {
    private final Manifest manifest;
    private final Naming naming;
    private final Path root;
    private final Optional<EventLoop> home;
    private final ContentStamps stamps;
    /** Where its files are now: a partial one's move into place changes it. */
    private final ContentPlace place;
    /** Partial only: its hub, made once by the first server that serves it. */
    private final AtomicReference<NettyServingHub> hub = new AtomicReference<>();
    // Partial only, on home: what the download told before a hub took over, then the hub to tell.
    private LocalCopy copy;
    private PeerHoldings holdings;
    private Consumer<HubEvent> told;

    private ServedContent(Manifest manifest, Naming naming, Path root, Optional<EventLoop> home, ContentStamps stamps) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.naming = Objects.requireNonNull(naming, "naming");
        this.root = Objects.requireNonNull(root, "root");
        this.home = home;
        this.stamps = Objects.requireNonNull(stamps, "stamps");
        this.place = ContentPlace.at(root);
    }

    /** A complete share: every chunk, from its file (or directory). */
    public static ServedContent complete(SharedContent content) {
        return new ServedContent(content.manifest(), content.naming(), content.file(), Optional.empty(), content.stamps());
    }

    /**
     * A partial download in {@code partRoot} (its files named as a download names them), holding {@code held}, on
     * the download's loop {@code home}: every method below that changes it is called there.
     */
    public static ServedContent partial(Manifest manifest, Path partRoot, BitSet held, EventLoop home) {
        ServedContent partial = new ServedContent(manifest, Naming.LOCAL, partRoot, Optional.of(home), ContentStamps.NONE);
        partial.copy = LocalCopy.partial(manifest, partRoot, held);
        partial.holdings = new PeerHoldings(manifest.chunkCount());
        return partial;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** How the manifest's names map to names on disk. */
    public Naming naming() {
        return naming;
    }

    /** Where the content was when it was served: the file or directory; for a partial one, its partial file. */
    public Path root() {
        return root;
    }

    /**
     * Where its files are now, from any thread: a partial one's download says where the content went as soon as it is
     * there, so that chunks handed out before read their files at their new names.
     */
    public ContentPlace place() {
        return place;
    }

    /** Its files' stamps from when it was hashed: a file that changed since is not served. None for a partial one. */
    public ContentStamps stamps() {
        return stamps;
    }

    /** The loop of the download whose partial content this is; empty for a complete share. */
    public Optional<EventLoop> home() {
        return home;
    }

    // ---- the download's side, on home ----

    /** The download verified chunk {@code index}. */
    public void add(int index) {
        tell(new HubEvent.ChunkAdded(index), () -> copy.add(index));
    }

    /** The download heard that {@code node} holds exactly {@code chunks} (its BITFIELD). */
    public void peerHolds(PeerId node, BitSet chunks) {
        tell(new HubEvent.PeerHolds(node, chunks), () -> holdings.holdsAll(node, chunks));
    }

    /** The download heard that {@code node} now holds chunk {@code index} (its HAVE). */
    public void peerHoldsChunk(PeerId node, int index) {
        tell(new HubEvent.PeerHoldsChunk(node, index), () -> holdings.holds(node, index));
    }

    /** The download is about to move its files into place: nothing is read from them until {@link #movedTo}. */
    public void moving() {
        tell(new HubEvent.Moving(), () -> copy.moving());
    }

    /**
     * The bytes now live at {@code movedRoot} (or still where they were, if the move failed): the sessions that
     * served the partial file go on serving the same content from there, rather than fail on the old path and drop
     * their peers (who would not dial again before their next peer lookup).
     */
    public void movedTo(Path movedRoot) {
        place.movedTo(movedRoot); // told already by the store where the move succeeded; back where it stays if not
        tell(new HubEvent.MovedTo(movedRoot), () -> copy.movedTo(movedRoot));
    }

    private void tell(HubEvent event, Runnable before) {
        if (told != null) {
            told.accept(event);
        } else {
            before.run();
        }
    }

    // ---- the server's side ----

    /** A partial content's hub: the one {@code make} made for the first server that asked. */
    public NettyServingHub hub(Supplier<NettyServingHub> make) {
        NettyServingHub made = hub.get();
        if (made == null) {
            hub.compareAndSet(null, make.get());
            made = hub.get();
        }
        return made;
    }

    /**
     * On home, for the hub that takes over a partial content: {@code make} gets the copy it serves and what peers were
     * heard to hold, which are the hub's own from now on, and {@code hubEvents} hears the download's news from now on.
     */
    public <H> H takeOver(Consumer<HubEvent> hubEvents, BiFunction<LocalCopy, PeerHoldings, H> make) {
        if (told != null) {
            throw new IllegalStateException("a hub serves " + manifest + " already");
        }
        H made = make.apply(copy, holdings);
        told = hubEvents;
        copy = null;
        holdings = null;
        return made;
    }
}
