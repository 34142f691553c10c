package dev.kadshare.simulation.scenario;

import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.wire.FrameCodec;
import java.time.Duration;

/**
 * A swarm run: one seeder and {@code downloaders} peers fetching a file of {@code fileBytes} in chunks
 * of {@code chunkBytes}; capacities in bytes per second; each downloader knows the seeder and
 * {@code peersPerDownloader} random other downloaders, keeps up to {@code inFlightPerPeer} requests at each
 * (its {@code Swarm} adapts the depth below that cap) and at most {@link #inFlightTotal()} across them (a real
 * download's memory cap, in this run's chunks), and serves {@code uploadSlots} of the downloaders that
 * know it at a time, rotating one every {@code slotRotation} (as a transfer server's {@code TransferLimits}
 * have it). {@link #NODE_IN_FLIGHT}, {@link #NODE_SLOTS} and {@link #NODE_SLOT_ROTATION} are a real node's.
 */
public record SwarmSettings(int downloaders, long fileBytes, int chunkBytes, double seederUpload, double upload,
                            double download, int peersPerDownloader, int inFlightPerPeer, int uploadSlots,
                            Duration slotRotation, long seed,
                            double medianLatencyMillis, double latencySigma) {
    /** A real download's cap on requests in flight per peer. */
    public static final int NODE_IN_FLIGHT = DownloadOptions.defaults().maxInFlightPerPeer();
    /** A real transfer server's upload slots per content. */
    public static final int NODE_SLOTS = TransferLimits.defaults().uploadSlotsPerContent();
    /** A real transfer server's slot rotation period. */
    public static final Duration NODE_SLOT_ROTATION = TransferLimits.defaults().slotRotation();
    /** The most chunks a manifest can list: it travels in one frame, 32 bytes of hash per chunk. */
    public static final int MAX_CHUNKS = FrameCodec.MAX_FRAME_LENGTH / Sha256.LENGTH;

    public SwarmSettings {
        if (downloaders < 1 || fileBytes < 1 || chunkBytes < 1 || seederUpload <= 0 || upload <= 0 || download <= 0
                || peersPerDownloader < 0 || inFlightPerPeer < 1 || uploadSlots < 1 || slotRotation.isNegative()
                || slotRotation.isZero()) {
            throw new IllegalArgumentException("swarm sizes and capacities must be positive");
        }
        // The content is a real manifest, which a node sends in one frame.
        if (chunkBytes > Manifest.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunks of at most " + (Manifest.MAX_CHUNK_SIZE >> 10) + " KiB");
        }
        if ((fileBytes + chunkBytes - 1) / chunkBytes > MAX_CHUNKS) {
            throw new IllegalArgumentException("at most " + MAX_CHUNKS + " chunks (a manifest is one frame)");
        }
    }

    public int chunkCount() {
        return (int) ((fileBytes + chunkBytes - 1) / chunkBytes);
    }

    /** A real download's cap on requests in flight across all its peers, in chunks of this run. */
    public int inFlightTotal() {
        return DownloadOptions.defaults().maxInFlightChunks(chunkBytes);
    }

    public int chunkSize(int index) {
        return (int) Math.min(chunkBytes, fileBytes - (long) index * chunkBytes);
    }
}
