package dev.kadshare.node.datadir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a node's data-dir entries (transfer catalog, library): writes and deletes run on a thread
 * of its own, so a caller on an event loop, or holding a lock an event loop waits for, never waits for an
 * fsync or a rename. Changes to one file are applied in the order asked, and coalesced: while a change to a
 * file is still queued, a newer one replaces it, so a burst of state changes costs one write. A change the disk
 * refused (full, read-only for a while) is tried again later, 5 s after the first failure and twice as long after
 * each next one (at most 5 minutes), unless a newer change to the file came first: the API already answered, so
 * the entry must not be lost at the next restart for a disk that filled up for a moment. {@link #close} applies
 * everything queued before it returns. A write may bring what to do once it is on disk, and only then.
 */
public final class EntryWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EntryWriter.class);
    /** How long {@link #close} waits for queued changes, so a hung disk cannot hold a shutdown for ever. */
    private static final long CLOSE_WAIT_SECONDS = 30;
    /** The longest wait before a refused change is tried again. */
    private static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(5);

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
        /** {@code written} runs once {@code data} is on disk (not if a newer change to the file replaced it first). */
        record Write(byte[] data, Runnable written) implements Change {}

        record Delete() implements Change {}
    }

    private final FileOps files;
    private final ScheduledExecutorService thread;
    /** How long after its first failure a refused change is tried again. */
    private final Duration firstRetryWait;
    /** The latest change not yet applied, per file; a file is here only while a task for it is queued. */
    private final Map<Path, Change> queued = new HashMap<>();
    /** Changes the disk refused, waiting for their retry (guarded by {@link #queued}'s lock). */
    private final Map<Path, Change> refused = new HashMap<>();

    public EntryWriter(FileOps files) {
        this(files, Duration.ofSeconds(5));
    }

    EntryWriter(FileOps files, Duration firstRetryWait) {
        this.files = files;
        this.firstRetryWait = firstRetryWait;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kadshare-entry-writer");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close tries refused changes at once
        this.thread = executor;
    }

    /** Writes {@code data} to {@code target}, later and on the writer's thread. */
    public void write(Path target, byte[] data) {
        write(target, data, () -> { });
    }

    /**
     * Writes {@code data} to {@code target}, later and on the writer's thread, then runs {@code written} there: what
     * the write makes redundant goes only once it is durable. Not run if a newer change to the file replaces this one
     * before it is written, nor if the disk refuses it to the end.
     */
    public void write(Path target, byte[] data, Runnable written) {
        submit(target, new Change.Write(data.clone(), written));
    }

    /** Deletes {@code target} if it exists, later and on the writer's thread. */
    public void delete(Path target) {
        submit(target, new Change.Delete());
    }

    private void submit(Path target, Change change) {
        synchronized (queued) {
            refused.remove(target); // superseded
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
        if (change != null) {
            apply(target, change, firstRetryWait);
        }
    }

    /**
     * Applies {@code change}, then runs what waits for it; if the disk refuses it, tries it again after {@code wait},
     * unless a newer one came.
     */
    private void apply(Path target, Change change, Duration wait) {
        try {
            if (change instanceof Change.Write w) {
                files.write(target, w.data());
            } else {
                files.delete(target);
            }
        } catch (IOException | RuntimeException e) {
            synchronized (queued) {
                if (queued.containsKey(target)) {
                    // A newer change came while this one was being written: its task, queued behind us, applies it.
                    log.warn("could not update {}: {}; a newer change follows", target, e.toString());
                    return;
                }
                refused.put(target, change);
            }
            try {
                var unused = thread.schedule(() -> retry(target, change, wait), wait.toMillis(), TimeUnit.MILLISECONDS);
                log.warn("could not update {}: {}; trying again in {} s", target, e.toString(), wait.toSeconds());
            } catch (RejectedExecutionException closed) {
                log.warn("could not update {}: {}; giving up, the writer is closed", target, e.toString());
            }
            return;
        }
        if (change instanceof Change.Write w) {
            try {
                w.written().run();
            } catch (RuntimeException e) {
                log.warn("after writing {}: {}", target, e.toString());
            }
        }
    }

    /** Tries a refused change again, unless a newer change to its file came meanwhile; then waits twice as long. */
    private void retry(Path target, Change change, Duration waited) {
        synchronized (queued) {
            if (!refused.remove(target, change)) {
                return;
            }
        }
        Duration twice = waited.multipliedBy(2);
        apply(target, change, twice.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : twice);
    }

    /** Completes once every change asked for before this call has been applied. */
    public CompletableFuture<Void> flushed() {
        return CompletableFuture.runAsync(() -> { }, thread);
    }

    /**
     * Applies what is queued (waiting at most 30 s for a slow disk; a refused change gets its one retry due), then
     * stops the writer's thread.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("data-dir writes still pending after {} s; giving up on them", CLOSE_WAIT_SECONDS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Map<Path, Change> last;
        synchronized (queued) {
            last = new HashMap<>(refused);
            refused.clear();
        }
        last.forEach((target, change) -> apply(target, change, firstRetryWait)); // a last try, here
    }
}
