package dev.kadshare.node.transfers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.node.datadir.EntryWriter;
import dev.kadshare.node.datadir.JsonEntries;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.swarm.ChunkOrder;
import dev.kadshare.transfer.store.AfterMove;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.Placement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downloads a node has been asked for, one JSON file each in the data dir, so a restart resumes them.
 * Saving only queues the write (see {@link EntryWriter}): transfers change state on event loops. Until a
 * COMPLETE entry is on disk, the download's sidecar stands in for it ({@link AfterMove#KEEP_SIDECAR}); it goes
 * once the entry is written, or once the transfer is removed.
 */
public final class TransferCatalog {
    private static final Logger log = LoggerFactory.getLogger(TransferCatalog.class);

    /**
     * What survives a restart of one transfer; {@code path} is set once complete, {@code error} once failed (null
     * in records written before it was kept); {@code order} as {@code get --sequential} asked (null in records written
     * before it was kept: rarest-first); {@code placement} whether the completed content was written or found in
     * place (null in records written before it was kept: written).
     */
    public record Entry(String link, String outDir, TransferState state, String path, String error, ChunkOrder order,
            Placement placement) {
        /** What survives of {@code transfer} as it is now. */
        public static Entry of(Transfer transfer) {
            return new Entry(transfer.link().format(), transfer.outDir().toString(), transfer.state(),
                    transfer.file().map(Path::toString).orElse(null), transfer.error().orElse(null), transfer.order(),
                    transfer.placement());
        }

        /** Whether the completed content was written by the download or found in place. */
        public Placement placed() {
            return placement == null ? Placement.WRITTEN : placement;
        }

        /** The order to ask for the chunks in. */
        public ChunkOrder chunkOrder() {
            return order == null ? ChunkOrder.RAREST_FIRST : order;
        }
    }

    private final JsonEntries<Entry> entries;

    public TransferCatalog(Path dir, ObjectMapper json, EntryWriter writer) throws IOException {
        this.entries = new JsonEntries<>(dir, Entry.class, json, writer);
    }

    /** Every readable entry; unreadable ones are logged and skipped rather than blocking the start. */
    public List<Entry> load() throws IOException {
        return entries.load().stream().map(JsonEntries.Loaded::value).toList();
    }

    /** Queues the transfer's entry to be written; returns at once. */
    public void save(String contentId, Entry entry) {
        if (entry.state() == TransferState.COMPLETE) {
            entries.save(contentId, entry, () -> settle(contentId, entry.outDir()));
        } else {
            entries.save(contentId, entry);
        }
    }

    /**
     * Once its COMPLETE entry is on disk, or the transfer is removed: the sidecar kept after the move in {@code outDir}
     * has nothing left to say.
     */
    public void settle(String contentId, String outDir) {
        try {
            ChunkStore.settle(ContentId.fromHex(contentId), Path.of(outDir));
        } catch (IOException | RuntimeException e) { // InvalidPathException included
            log.warn("cannot delete the sidecar of {} in {}: {}", contentId, outDir, e.toString());
        }
    }

    /** Queues the transfer's entry to be deleted; returns at once. */
    public void remove(String contentId) {
        entries.remove(contentId);
    }
}
