package dev.kadshare.simulation.swarm;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.Disk;
import dev.kadshare.transfer.download.StoreJob;
import dev.kadshare.transfer.download.StoreResult;
import dev.kadshare.transfer.download.StoreState;
import dev.kadshare.transfer.store.LastStop;
import dev.kadshare.transfer.store.Placement;
import dev.kadshare.transfer.store.Recheck;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Disk} that holds nothing and answers every job at once: no partial download to resume, a fresh store
 * (cleanly stopped, so nothing is rechecked), every chunk matching its hash. Its results are posted, never handed
 * back from within {@link #submit}, as the disk interface requires. No file is touched.
 */
final class ModelledDisk implements Disk {
    /** Where the modelled content "lies", for the download and the hub alike; never opened. */
    static final Path ROOT = Path.of("simulated");

    private final Consumer<StoreResult> post;
    private Optional<Manifest> manifest = Optional.empty();

    /** @param post queues a result for the download's own thread, after the actions of the event at hand */
    ModelledDisk(Consumer<StoreResult> post) {
        this.post = post;
    }

    @Override
    public void submit(StoreJob job) {
        post.accept(answer(job));
    }

    private StoreResult answer(StoreJob job) {
        if (job instanceof StoreJob.Resume) {
            return new StoreResult.Resumed(Optional.empty());
        } else if (job instanceof StoreJob.Open open) {
            manifest = Optional.of(open.manifest());
            return new StoreResult.Opened(new StoreState(open.manifest(), ROOT, new BitSet(), LastStop.CLEAN));
        } else if (job instanceof StoreJob.Recheck) {
            return new StoreResult.Rechecked(new StoreState(manifest.orElseThrow(), ROOT, new BitSet(),
                    LastStop.CLEAN), new Recheck(0, 0));
        } else if (job instanceof StoreJob.HashAndWrite write) {
            write.body().free();
            return new StoreResult.Stored(write.index(), write.from());
        } else if (job instanceof StoreJob.Finish) {
            return new StoreResult.Moved(ROOT, Placement.WRITTEN);
        } else if (job instanceof StoreJob.Close) {
            return new StoreResult.Closed();
        }
        return new StoreResult.Discarded();
    }
}
