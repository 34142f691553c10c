package dev.kadshare.node.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.node.datadir.EntryWriter;
import dev.kadshare.node.datadir.JsonEntries;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.FileStamp;
import dev.kadshare.transfer.store.Naming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content this node serves, persisted one JSON file per content id in the data dir so that a restarted
 * daemon serves and re-announces it again. Changes are written through the node's {@link EntryWriter}, so
 * adding or removing never waits for the disk.
 */
public final class Library implements ContentSource {
    private static final Logger log = LoggerFactory.getLogger(Library.class);

    /**
     * What is stored for one shared content: where the bytes are, the manifest that describes them, how the
     * manifest's names map to the files ({@link Naming}; absent in entries written before it, which were shares), and
     * the files' stamps from when it was hashed, in the manifest's order (absent in entries written before them).
     */
    record Entry(String path, String manifest, Naming naming, List<FileStamp> stamps) {}

    private final JsonEntries<Entry> entries;
    private final Map<ContentId, SharedContent> shared = new ConcurrentHashMap<>();

    private Library(JsonEntries<Entry> entries) {
        this.entries = entries;
    }

    /** Opens the library in {@code dir}, loading every entry whose files are still there as they were stamped. */
    public static Library open(Path dir, ObjectMapper json, EntryWriter writer) throws IOException {
        Library library = new Library(new JsonEntries<>(dir, Entry.class, json, writer));
        for (JsonEntries.Loaded<Entry> loaded : library.entries.load()) {
            library.load(loaded.file(), loaded.value());
        }
        return library;
    }

    private void load(Path file, Entry entry) {
        try {
            Manifest manifest = Manifest.decode(Base64.getDecoder().decode(entry.manifest()));
            Path named = Path.of(entry.path());
            // An entry from before shares were resolved may name a link: served from what it names, as now.
            Path content = Files.isSymbolicLink(named) ? named.toRealPath() : named;
            boolean present = manifest.isDirectory() ? Files.isDirectory(content) : Files.isRegularFile(content);
            if (!present) {
                // Kept: it may come back (a disk not mounted yet).
                log.warn("not serving {}: {} is missing", manifest.contentId().toHex(), content);
                return;
            }
            Naming naming = entry.naming() == null ? Naming.ORIGINAL : entry.naming();
            ContentLayout layout = ContentLayout.of(manifest, content, naming);
            ContentStamps now = ContentStamps.of(layout);
            boolean unchanged = entry.stamps() == null
                    ? manifest.isDirectory() || Files.size(content) == manifest.length()
                    : now.equals(ContentStamps.recorded(layout, entry.stamps()));
            if (!unchanged) {
                // Dropped, as a running node drops a share it finds changed: warned once, not at every start.
                log.warn("stopped sharing {}: a file of {} changed since it was shared; share it again to serve it as it is",
                        manifest.contentId().toHex(), content);
                entries.remove(manifest.contentId().toHex());
                return;
            }
            if (entry.stamps() == null) {
                // Written before stamps were kept: the files are taken as they are now, and stamped from here on.
                save(manifest, content, naming, now);
            }
            shared.put(manifest.contentId(), new SharedContent(manifest, content, naming, now));
        } catch (IOException | MalformedManifestException | RuntimeException e) {
            log.warn("skipping unreadable library entry {}: {}", file, e.toString());
        }
    }

    /**
     * Adds content whose files are named as {@code naming} says (a download's: LOCAL), stamped as {@code stamps} (taken
     * when it was hashed, or when its download finished); its entry is written by the entry writer, this returns at once.
     */
    public void add(Manifest manifest, Path file, Naming naming, ContentStamps stamps) {
        Path absolute = file.toAbsolutePath().normalize();
        save(manifest, absolute, naming, stamps);
        shared.put(manifest.contentId(), new SharedContent(manifest, absolute, naming, stamps));
    }

    private void save(Manifest manifest, Path file, Naming naming, ContentStamps stamps) {
        entries.save(manifest.contentId().toHex(), new Entry(file.toString(),
                Base64.getEncoder().encodeToString(manifest.canonicalBytes()), naming, stamps.inOrder()));
    }

    /** Stops serving a content and forgets it (its entry is deleted by the entry writer); the file itself is left alone. */
    public Optional<SharedContent> remove(ContentId id) {
        entries.remove(id.toHex());
        return Optional.ofNullable(shared.remove(id));
    }

    /**
     * Stops serving a content whose files changed since they were stamped as {@code stamps} and forgets it, as {@link
     * #remove}; nothing if it is not held with those stamps (gone already, or shared anew).
     */
    public Optional<SharedContent> removeChanged(ContentId id, ContentStamps stamps) {
        SharedContent current = shared.get(id);
        if (current == null || !current.stamps().equals(stamps) || !shared.remove(id, current)) {
            return Optional.empty();
        }
        entries.remove(id.toHex());
        return Optional.of(current);
    }

    @Override
    public Optional<SharedContent> find(ContentId id) {
        return Optional.ofNullable(shared.get(id));
    }

    public Collection<SharedContent> all() {
        return List.copyOf(new ArrayList<>(shared.values()));
    }
}
