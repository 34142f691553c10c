package dev.kadshare.node.datadir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of JSON files, one per id (the library's and the transfer catalog's entries): read at start,
 * written and removed through the node's {@link EntryWriter}.
 */
public final class JsonEntries<T> {
    private static final Logger log = LoggerFactory.getLogger(JsonEntries.class);
    private static final String SUFFIX = ".json";

    /** One entry read back, with the file it came from (for messages about it). */
    public record Loaded<T>(Path file, T value) {}

    private final Path dir;
    private final Class<T> type;
    private final ObjectMapper json;
    private final EntryWriter writer;

    public JsonEntries(Path dir, Class<T> type, ObjectMapper json, EntryWriter writer) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.type = type;
        this.json = json;
        this.writer = writer;
    }

    /** Every readable entry; unreadable ones are logged and skipped rather than blocking the start. */
    public List<Loaded<T>> load() throws IOException {
        List<Loaded<T>> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    T value = json.readValue(file.toFile(), type);
                    if (value == null) { // the file says null: JSON, but no entry
                        throw new IOException("it holds null, not an entry");
                    }
                    entries.add(new Loaded<>(file, value));
                } catch (IOException e) {
                    log.warn("skipping unreadable entry {}: {}", file, e.toString());
                }
            }
        }
        return entries;
    }

    /** Queues the entry of {@code id} to be written; returns at once. */
    public void save(String id, T value) {
        save(id, value, () -> { });
    }

    /** As {@link #save(String, Object)}, running {@code written} on the writer's thread once the entry is on disk. */
    public void save(String id, T value, Runnable written) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + type.getSimpleName(), e);
        }
        writer.write(fileOf(id), bytes, written);
    }

    /** Queues the entry of {@code id} to be deleted; returns at once. */
    public void remove(String id) {
        writer.delete(fileOf(id));
    }

    private Path fileOf(String id) {
        return dir.resolve(id + SUFFIX);
    }
}
