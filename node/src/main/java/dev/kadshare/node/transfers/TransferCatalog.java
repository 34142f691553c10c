package dev.kadshare.node.transfers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.node.datadir.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The downloads a node has been asked for, one JSON file each in the data dir, so a restart resumes them. */
public final class TransferCatalog {
    private static final Logger log = LoggerFactory.getLogger(TransferCatalog.class);
    private static final String SUFFIX = ".json";

    /** What survives a restart of one transfer; {@code path} is set once complete. */
    public record Entry(String link, String outDir, TransferState state, String path) {}

    private final Path dir;
    private final ObjectMapper json;

    public TransferCatalog(Path dir, ObjectMapper json) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.json = json;
    }

    /** Every readable entry; unreadable ones are logged and skipped rather than blocking the start. */
    public List<Entry> load() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    entries.add(json.readValue(file.toFile(), Entry.class));
                } catch (IOException e) {
                    log.warn("skipping unreadable transfer record {}: {}", file, e.toString());
                }
            }
        }
        return entries;
    }

    public void save(String contentId, Entry entry) {
        try {
            AtomicFiles.write(dir.resolve(contentId + SUFFIX), json.writeValueAsBytes(entry), false);
        } catch (IOException e) {
            log.warn("could not save transfer {}: {}", contentId, e.toString());
        }
    }

    public void remove(String contentId) throws IOException {
        Files.deleteIfExists(dir.resolve(contentId + SUFFIX));
    }
}
