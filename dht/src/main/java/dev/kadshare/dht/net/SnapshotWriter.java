package dev.kadshare.dht.net;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.snapshot.RoutingSnapshot;
import dev.kadshare.dht.snapshot.RoutingSnapshotFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes routing snapshots of one node on a worker thread of its own, so that fsync never stalls the
 * event loop; saves are serialised in the order they are asked for.
 */
public final class SnapshotWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotWriter.class);

    private final RoutingSnapshotFile file;
    private final NodeId id;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dht-snapshot-writer");
        t.setDaemon(true);
        return t;
    });

    public SnapshotWriter(RoutingSnapshotFile file, NodeId id) {
        this.file = file;
        this.id = id;
    }

    public RoutingSnapshotFile file() {
        return file;
    }

    /**
     * Saves the contacts once they are known; an empty list is skipped, since it would only erase a
     * snapshot that could still help us rejoin. Failures are logged and fail the returned future.
     */
    public CompletableFuture<Void> save(CompletableFuture<List<Contact>> contacts) {
        return contacts.thenAcceptAsync(list -> {
            if (list.isEmpty()) {
                return;
            }
            try {
                file.save(new RoutingSnapshot(id, list));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, worker).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("cannot save routing snapshot {}: {}", file.path(), e.toString());
            }
        });
    }

    /** Lets queued saves finish, then stops the worker thread. */
    @Override
    public void close() {
        worker.shutdown();
    }
}
