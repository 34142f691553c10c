package dev.kadshare.node.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.node.datadir.AtomicFiles;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.Naming;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * daemon serves and re-announces it again.
 */
public final class Library implements ContentSource {
    private static final Logger log = LoggerFactory.getLogger(Library.class);
    private static final String SUFFIX = ".json";

    /**
     * What is stored for one shared content: where the bytes are, the manifest that describes them, and how the
     * manifest's names map to the files ({@link Naming}; absent in entries written before it, which were shares).
     */
    record Entry(String path, String manifest, Naming naming) {}

    private final Path dir;
    private final ObjectMapper json;
    private final Map<ContentId, SharedContent> shared = new ConcurrentHashMap<>();

    private Library(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
    }

    /** Opens the library in {@code dir}, loading every entry whose file is still there with the expected size. */
    public static Library open(Path dir, ObjectMapper json) throws IOException {
        Files.createDirectories(dir);
        Library library = new Library(dir, json);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : entries) {
                library.load(file);
            }
        }
        return library;
    }

    private void load(Path file) {
        try {
            Entry entry = json.readValue(file.toFile(), Entry.class);
            Manifest manifest = Manifest.decode(Base64.getDecoder().decode(entry.manifest()));
            Path content = Path.of(entry.path());
            boolean present = manifest.isDirectory() ? Files.isDirectory(content)
                    : Files.isRegularFile(content) && Files.size(content) == manifest.length();
            if (!present) {
                log.warn("not serving {}: {} is missing or changed size", manifest.contentId().toHex(), content);
                return;
            }
            Naming naming = entry.naming() == null ? Naming.ORIGINAL : entry.naming();
            shared.put(manifest.contentId(), new SharedContent(manifest, content, naming));
        } catch (IOException | MalformedManifestException | RuntimeException e) {
            log.warn("skipping unreadable library entry {}: {}", file, e.toString());
        }
    }

    /** Adds content shared from the user's own files to the library and persists it before returning. */
    public void add(Manifest manifest, Path file) throws IOException {
        add(manifest, file, Naming.ORIGINAL);
    }

    /** Adds content whose files are named as {@code naming} says (a download's: LOCAL), persisted before returning. */
    public void add(Manifest manifest, Path file, Naming naming) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Entry entry = new Entry(absolute.toString(), Base64.getEncoder().encodeToString(manifest.canonicalBytes()),
                naming);
        AtomicFiles.write(dir.resolve(manifest.contentId().toHex() + SUFFIX), json.writeValueAsBytes(entry), false);
        shared.put(manifest.contentId(), new SharedContent(manifest, absolute, naming));
    }

    /** Stops serving a content and forgets it; the file itself is left alone. */
    public Optional<SharedContent> remove(ContentId id) throws IOException {
        Files.deleteIfExists(dir.resolve(id.toHex() + SUFFIX));
        return Optional.ofNullable(shared.remove(id));
    }

    @Override
    public Optional<SharedContent> find(ContentId id) {
        return Optional.ofNullable(shared.get(id));
    }

    public Collection<SharedContent> all() {
        return List.copyOf(new ArrayList<>(shared.values()));
    }
}
