package dev.kadshare.node.datadir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a node's data-dir entries (transfer catalog, library): writes and deletes run on a thread
 * of its own, so a caller on an event loop, or holding a lock an event loop waits for, never waits for an
 * fsync or a rename. Changes to one file are applied in the order asked, and coalesced: while a change to a
 * file is still queued, a newer one replaces it, so a burst of state changes costs one write. {@link #close}
 * applies everything queued before it returns.
 */
public final class EntryWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EntryWriter.class);
    /** How long {@link #close} waits for queued changes, so a hung disk cannot hold a shutdown for ever. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    /** The file operations the writer performs; tests inject slow ones. */
    public interface FileOps {
        void write(Path target, byte[] data) throws IOException;

        void delete(Path target) throws IOException;

        /** Crash-safe writes ({@link AtomicFiles}: temporary file, fsync, rename) and plain deletes. */
        FileOps ATOMIC = new FileOps() {
            @Override
            public void write(Path target, byte[] data) throws IOException {
                AtomicFiles.write(target, data, false);
            }

            @Override
            public void delete(Path target) throws IOException {
                Files.deleteIfExists(target);
            }
        };
    }

    /** One queued change to a file. */
    private sealed interface Change {
        record Write(byte[] data) implements Change {}

        record Delete() implements Change {}
    }

    private final FileOps files;
    private final ExecutorService thread;
    /** The latest change not yet applied, per file; a file is here only while a task for it is queued. */
    private final Map<Path, Change> queued = new HashMap<>();

    public EntryWriter(FileOps files) {
        this.files = files;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kadshare-entry-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes {@code data} to {@code target}, later and on the writer's thread. */
    public void write(Path target, byte[] data) {
        submit(target, new Change.Write(data.clone()));
    }

    /** Deletes {@code target} if it exists, later and on the writer's thread. */
    public void delete(Path target) {
        submit(target, new Change.Delete());
    }

    private void submit(Path target, Change change) {
        synchronized (queued) {
            if (queued.put(target, change) != null) {
                return; // the task already queued for this file applies the newest change
            }
        }
        try {
            thread.execute(() -> applyQueued(target));
        } catch (RejectedExecutionException closed) {
            // After close (a late callback during shutdown) nobody is left to wait on: apply it here.
            applyQueued(target);
        }
    }

    private void applyQueued(Path target) {
        Change change;
        synchronized (queued) {
            change = queued.remove(target);
        }
        if (change == null) {
            return;
        }
        try {
            if (change instanceof Change.Write w) {
                files.write(target, w.data());
            } else {
                files.delete(target);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not update {}: {}", target, e.toString());
        }
    }

    /** Completes once every change asked for before this call has been applied. */
    public CompletableFuture<Void> flushed() {
        return CompletableFuture.runAsync(() -> { }, thread);
    }

    /** Applies what is queued (waiting at most 30 s for a slow disk), then stops the writer's thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("data-dir writes still pending after {} s; giving up on them", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
