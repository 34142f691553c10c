package dev.kadshare.transfer.download;

import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.Recheck;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A download's store work that waits on the disk or the CPU (open, recheck, hash and write, finish), done on
 * {@link DownloadOptions#hashing} so the loop only moves bytes and keeps the books. Every result, and every
 * failure, is handed back to the download's event loop, where all its state lives.
 */
final class StoreWorker {
    /** What hashing and writing one chunk came to: {@code good} if it matched its hash. */
    interface Hashed {
        void done(boolean good, Optional<IOException> writeError);
    }

    private final EventLoop loop;
    private final Executor hashing;

    StoreWorker(EventLoop loop, Executor hashing) {
        this.loop = loop;
        this.hashing = hashing;
    }

    /**
     * Creates the store of {@code manifest} in {@code outDir}: the files (thousands, for a directory share) and a
     * forced sidecar wait on the disk.
     */
    void open(Manifest manifest, Path outDir, Consumer<ChunkStore> opened, Consumer<Exception> failed) {
        run(() -> {
            try {
                ChunkStore store = ChunkStore.open(manifest, outDir);
                loop.execute(() -> opened.accept(store));
            } catch (IOException | RuntimeException e) {
                // IllegalArgumentException: a path that would land outside outDir; nothing has been written. Any
                // failure must reach the loop: a download left waiting for its store would never stop.
                loop.execute(() -> failed.accept(e));
            }
        });
    }

    /** Hashes the chunks {@code store} marks again, after an unclean stop. */
    void recheck(ChunkStore store, Consumer<Recheck> rechecked, Consumer<Exception> failed) {
        run(() -> {
            try {
                Recheck result = store.recheck();
                loop.execute(() -> rechecked.accept(result));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failed.accept(e));
            }
        });
    }

    /** Hashes chunk {@code index}, whose bytes are {@code data}, and writes it if it matches its hash. */
    void hashAndWrite(Manifest manifest, ChunkStore store, int index, ByteBuffer data, Hashed hashed) {
        run(() -> {
            boolean good = manifest.verifies(index, data);
            Optional<IOException> writeError = Optional.empty();
            if (good) {
                try {
                    store.writeData(index, data);
                } catch (IOException e) {
                    writeError = Optional.of(e);
                } catch (RuntimeException e) {
                    writeError = Optional.of(new IOException(e)); // the loop must hear of the chunk either way
                }
            }
            Optional<IOException> error = writeError;
            loop.execute(() -> hashed.done(good, error));
        });
    }

    /**
     * Forces the data and renames the file into place, which block for as long as the disk needs; {@code served}
     * goes on from the new path before the loop hears of it.
     */
    void finish(ChunkStore store, Optional<ServedContent> served, Consumer<Path> finished,
            Consumer<Exception> failed) {
        run(() -> {
            try {
                Path path = store.finish();
                served.ifPresent(s -> s.movedTo(path));
                loop.execute(() -> finished.accept(path));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failed.accept(e));
            }
        });
    }

    /** Runs slow work (hashing, disk) on the hashing worker; inline if it refuses, so nothing is lost. */
    private void run(Runnable work) {
        try {
            hashing.execute(work);
        } catch (RejectedExecutionException e) {
            work.run(); // a saturated or closed pool must not lose the chunk or the check
        }
    }
}
