package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.swarm.Swarm;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Optional;

/** Where a {@link Download} stands: exactly one of these at a time. */
sealed interface Phase {
    /**
     * Waiting for the disk: with no manifest, to find the partial download an earlier run left; with one (just
     * fetched and checked), to open its store.
     */
    record Opening(Optional<Manifest> manifest) implements Phase {
    }

    /** Asking the peers for the manifest: {@code askedOf} is the peer whose answer is awaited, if any. */
    record FetchingManifest(Optional<InetSocketAddress> askedOf) implements Phase {
    }

    /** The store's marks are not proof (an unclean stop): the disk is hashing the marked chunks again. */
    record Rechecking(StoreState store) implements Phase {
    }

    /** Fetching chunks: {@code swarm} decides which from whom, and holds what each peer has. */
    record Transferring(Manifest manifest, Swarm<InetSocketAddress> swarm) implements Phase {
    }

    /**
     * Every chunk is verified; the content is moved into place once no store job is left ({@code moving} from
     * then on).
     */
    record Finishing(Manifest manifest, Swarm<InetSocketAddress> swarm, boolean moving) implements Phase {
    }

    /** Finished, failed or cancelled ({@code end}); the store may still be being let go of. */
    record Over(DownloadState end, Tally tally) implements Phase {
    }

    /** How far a download got: the manifest once known, and the chunks verified. */
    record Tally(Optional<Manifest> manifest, int verified, long verifiedBytes) {
        static final Tally NONE = new Tally(Optional.empty(), 0, 0);

        static Tally of(Manifest manifest, BitSet verified) {
            int last = manifest.chunkCount() - 1;
            return of(manifest, verified.cardinality(), last >= 0 && verified.get(last));
        }

        static Tally of(Manifest manifest, Swarm<?> swarm) {
            int last = manifest.chunkCount() - 1;
            return of(manifest, swarm.verifiedCount(), last >= 0 && swarm.isVerified(last));
        }

        /** Every chunk is chunk-size long but the last, which may be shorter. */
        private static Tally of(Manifest manifest, int count, boolean lastVerified) {
            long bytes = (long) count * manifest.chunkSize();
            if (lastVerified) {
                bytes -= manifest.chunkSize() - manifest.chunkLength(manifest.chunkCount() - 1);
            }
            return new Tally(Optional.of(manifest), count, bytes);
        }

        int chunkCount() {
            return manifest.map(Manifest::chunkCount).orElse(0);
        }
    }
}
