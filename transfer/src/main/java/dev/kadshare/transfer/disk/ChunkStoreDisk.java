package dev.kadshare.transfer.disk;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.ChunkBody;
import dev.kadshare.transfer.download.Disk;
import dev.kadshare.transfer.download.StoreJob;
import dev.kadshare.transfer.download.StoreResult;
import dev.kadshare.transfer.download.StoreState;
import dev.kadshare.transfer.store.AfterMove;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.StoreFailure;
import dev.kadshare.transfer.store.Recheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The {@link Disk} of one download in {@code outDir}, over a {@link ChunkStore}: the slow work (opening, checking,
 * hashing and writing, finishing) runs on {@code work}, and every result, failures included, is handed to
 * {@code results} on {@code home}, the download's own thread (its event loop). What the store keeps in memory
 * (its marks) changes on {@code home} only, so the store needs no lock. With {@code Runnable::run} as {@code work}
 * and a queue as {@code home}, it runs on the caller's thread: the same-thread disk of tests.
 */
public final class ChunkStoreDisk implements Disk {
    private final ContentId id;
    private final Path outDir;
    private final Executor work;
    private final Executor home;
    private final Consumer<StoreResult> results;
    /** What becomes of the sidecar once the content is moved into place. */
    private final AfterMove afterMove;
    /** Told, on the worker, where the content is the moment its move puts it there. */
    private final Consumer<Path> placed;
    /** Set on {@code home} as an open or resume lands; each job is submitted from there after it. */
    private ChunkStore store;

    public ChunkStoreDisk(ContentId id, Path outDir, Executor work, Executor home, Consumer<StoreResult> results) {
        this(id, outDir, work, home, results, AfterMove.DELETE_SIDECAR, root -> { });
    }

    /**
     * As the constructor above, with the sidecar kept after the move if {@code afterMove} says so, and {@code placed}
     * told (on the worker) where the content is the moment the move puts it there, before its partial name goes.
     */
    public ChunkStoreDisk(ContentId id, Path outDir, Executor work, Executor home, Consumer<StoreResult> results,
            AfterMove afterMove, Consumer<Path> placed) {
        this.id = id;
        this.outDir = outDir;
        this.work = work;
        this.home = home;
        this.results = results;
        this.afterMove = afterMove;
        this.placed = placed;
    }

    @Override
    public void submit(StoreJob job) {
        if (job instanceof StoreJob.Resume) {
            onWorker(job, () -> {
                Optional<ChunkStore> found = ChunkStore.resume(id, outDir);
                Optional<StoreState> state = found.map(ChunkStoreDisk::stateOf);
                return () -> {
                    store = found.orElse(null);
                    return new StoreResult.Resumed(state);
                };
            }, "cannot read the partial download of " + id + " in " + outDir);
        } else if (job instanceof StoreJob.Open open) {
            // Creating the files (thousands, for a directory share) and forcing the sidecar wait on the disk.
            onWorker(job, () -> {
                ChunkStore opened = ChunkStore.open(open.manifest(), outDir);
                StoreState state = stateOf(opened);
                return () -> {
                    store = opened;
                    return new StoreResult.Opened(state);
                };
            }, "cannot create partial file in " + outDir);
        } else if (job instanceof StoreJob.Recheck) {
            ChunkStore s = store;
            onWorker(job, () -> {
                Recheck counts = s.recheck(); // first: the state after the check is what counts
                StoreResult result = new StoreResult.Rechecked(stateOf(s), counts);
                return () -> result;
            }, "cannot check partial file " + s.partFile());
        } else if (job instanceof StoreJob.HashAndWrite write) {
            hashAndWrite(write);
        } else if (job instanceof StoreJob.Finish) {
            ChunkStore s = store;
            // Forcing the data and renaming block for as long as the disk needs.
            onWorker(job, () -> {
                Path path = s.finish(afterMove, placed);
                return () -> new StoreResult.Moved(path, s.placement());
            }, "cannot move " + s.partFile() + " into place");
        } else if (job instanceof StoreJob.Close) {
            // On the download's own thread, as ever: a node shutting down stops its worker pool at once, and a close
            // interrupted there would not mark the partial download clean.
            onHome(job, () -> {
                store.close();
                return new StoreResult.Closed();
            }, "cannot close " + store.partFile());
        } else if (job instanceof StoreJob.Discard) {
            onHome(job, () -> {
                store.discard();
                return new StoreResult.Discarded();
            }, "cannot delete " + store.partFile());
        }
    }

    /**
     * Hashes the chunk on the worker and writes it there if it matches, then frees its memory; records it on
     * {@code home}, where the store's marks live, only once the data write returned.
     */
    private void hashAndWrite(StoreJob.HashAndWrite job) {
        ChunkStore s = store;
        Manifest manifest = s.manifest();
        run(() -> {
            ChunkBody body = job.body();
            boolean good;
            Optional<String> writeError = Optional.empty();
            try {
                ByteBuffer data = body.data();
                good = manifest.verifies(job.index(), data);
                if (good) {
                    s.writeData(job.index(), data);
                }
            } catch (IOException | RuntimeException e) {
                // The download must hear of the chunk either way.
                good = true;
                writeError = Optional.of(StoreFailure.of("cannot write chunk " + job.index(), e).getMessage());
            } finally {
                body.free();
            }
            boolean matched = good;
            Optional<String> error = writeError;
            post(() -> {
                if (error.isPresent()) {
                    return new StoreResult.JobFailed(job, error.get());
                }
                if (!matched) {
                    return new StoreResult.Mismatched(job.index(), job.from());
                }
                try {
                    s.markStored(job.index());
                } catch (IOException | RuntimeException e) {
                    return new StoreResult.JobFailed(job,
                            StoreFailure.of("cannot record chunk " + job.index(), e).getMessage());
                }
                return new StoreResult.Stored(job.index(), job.from());
            });
        });
    }

    /** Slow store work, whose outcome is taken up on {@code home}. */
    private interface Work {
        Landing run() throws IOException;
    }

    /** The part of a job that runs on {@code home}: it makes the result. */
    private interface Landing {
        StoreResult land();
    }

    /** Store work that changes what the store keeps in memory, on {@code home}. */
    private interface HomeWork {
        StoreResult run() throws IOException;
    }

    private void onWorker(StoreJob job, Work w, String failure) {
        run(() -> {
            Landing landing;
            try {
                landing = w.run();
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                // IllegalArgumentException included: a path that would land outside outDir; nothing was written.
                // Any failure must reach the download: one left waiting for its store would never stop. Memory
                // too: what the job held is garbage once it failed, and the download fails instead of hanging.
                post(() -> new StoreResult.JobFailed(job, StoreFailure.of(failure, e).getMessage()));
                return;
            }
            post(landing::land);
        });
    }

    private void onHome(StoreJob job, HomeWork w, String failure) {
        post(() -> {
            try {
                return w.run();
            } catch (IOException | RuntimeException e) {
                return new StoreResult.JobFailed(job, StoreFailure.of(failure, e).getMessage());
            }
        });
    }

    private static StoreState stateOf(ChunkStore s) {
        return new StoreState(s.manifest(), s.partFile(), s.verified(), s.lastStop());
    }

    /** Runs slow work on the worker; inline if it refuses, so nothing is lost. */
    private void run(Runnable task) {
        try {
            work.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // a saturated or closed pool must not lose the chunk or the check
        }
    }

    private void post(Landing landing) {
        try {
            home.execute(() -> results.accept(landing.land()));
        } catch (RejectedExecutionException stopped) {
            // The download's loop has stopped (the node is shutting down): nobody is left to hear it. What the work
            // did is on disk; the marks it would have set are not, so a restart checks or fetches those chunks again.
        }
    }
}
