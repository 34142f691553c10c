package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.swarm.InitialSeeding;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The uploads of one server: the rate limits and upload slots of each content, and the bytes sent per
 * content and peer. Thread-safe: sessions on every loop of the server share it.
 */
public final class Uploads {
    /** Chunks an initial seeder reveals ahead of sending them: enough to keep its upload busy over a round trip. */
    private static final int INITIAL_SEEDING_UNSENT = 4;

    private final TransferLimits limits;
    private final Map<ContentId, TokenBucket> perContent = new ConcurrentHashMap<>();
    private final Map<ContentId, UploadSlots> slots = new ConcurrentHashMap<>();
    private final Map<ContentId, Map<InetSocketAddress, LongAdder>> sent = new ConcurrentHashMap<>();
    private final Map<ContentId, InitialSeeding<IntConsumer>> initialSeeding = new ConcurrentHashMap<>();

    public Uploads(TransferLimits limits) {
        this.limits = limits;
    }

    /** The buckets every chunk of {@code id} is taken from. */
    public List<TokenBucket> limitsFor(ContentId id) {
        if (limits.perContentUploadBytesPerSecond() == 0) {
            return List.of(limits.nodeUpload());
        }
        return List.of(limits.nodeUpload(),
                perContent.computeIfAbsent(id, k -> TokenBucket.perSecond(limits.perContentUploadBytesPerSecond())));
    }

    /** The upload slots of {@code id}. */
    public UploadSlots slotsFor(ContentId id) {
        return slots.computeIfAbsent(id, k -> new UploadSlots(limits.uploadSlotsPerContent()));
    }

    /**
     * Serve {@code id}, which this node holds complete and nobody else does yet (it just shared it), by
     * initial seeding: each chunk is revealed to one connection at a time, so no chunk goes out twice
     * before every chunk went out once. A session's peer is the {@link IntConsumer} that sends it a HAVE.
     */
    public void seedInitially(ContentId id, int chunkCount) {
        initialSeeding.computeIfAbsent(id, k -> new InitialSeeding<>(chunkCount, INITIAL_SEEDING_UNSENT));
    }

    /** The initial seeding of {@code id}, if any; sessions on several loops share it, locking on it. */
    public Optional<InitialSeeding<IntConsumer>> initialSeedingOf(ContentId id) {
        return Optional.ofNullable(initialSeeding.get(id));
    }

    /** One rotation step for every content (the server calls this every {@link TransferLimits#slotRotation()}). */
    public void rotateSlots() {
        slots.values().forEach(UploadSlots::rotate);
    }

    public void count(ContentId id, InetSocketAddress peer, long bytes) {
        sent.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).computeIfAbsent(peer, k -> new LongAdder()).add(bytes);
    }

    /** Bytes of {@code id} uploaded so far, to anyone. */
    public long bytesUploaded(ContentId id) {
        return sent.getOrDefault(id, Map.of()).values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Bytes of {@code id} uploaded so far, per peer. */
    public List<PeerUpload> peers(ContentId id) {
        List<PeerUpload> out = new ArrayList<>();
        sent.getOrDefault(id, Map.of()).forEach((peer, bytes) -> out.add(new PeerUpload(peer, bytes.sum())));
        return out;
    }
}
