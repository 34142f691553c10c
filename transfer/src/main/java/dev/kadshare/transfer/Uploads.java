package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
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
    /** Per content: bytes sent per node (peers that named themselves), else per connection address. */
    private final Map<ContentId, Map<Uploader, Sent>> sent = new ConcurrentHashMap<>();
    private final Map<ContentId, InitialSeeding<IntConsumer>> initialSeeding = new ConcurrentHashMap<>();
    private final Map<ContentId, PeerExchange> peerExchange = new ConcurrentHashMap<>();

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

    /** Where the peers connected for {@code id} serve it. */
    public PeerExchange peerExchangeOf(ContentId id) {
        return peerExchange.computeIfAbsent(id, k -> new PeerExchange());
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

    /** Who an upload is counted for: a node when it said its id, else a connection address. */
    private record Uploader(PeerId nodeId, InetSocketAddress address) {
        static Uploader of(PeerId nodeId, InetSocketAddress address) {
            // A known node is one uploader whatever connection it comes from.
            return new Uploader(nodeId, nodeId.isKnown() ? UNSPECIFIED : address);
        }
    }

    private static final InetSocketAddress UNSPECIFIED = new InetSocketAddress(0);

    /** Bytes sent to one uploader, and the address of its latest connection. */
    private static final class Sent {
        final LongAdder bytes = new LongAdder();
        volatile InetSocketAddress lastAddress;
    }

    /** Counts {@code bytes} of {@code id} sent to the peer at {@code address}, which said it is {@code nodeId}. */
    public void count(ContentId id, PeerId nodeId, InetSocketAddress address, long bytes) {
        Sent s = sent.computeIfAbsent(id, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(Uploader.of(nodeId, address), k -> new Sent());
        s.lastAddress = address;
        s.bytes.add(bytes);
    }

    /** Bytes of {@code id} uploaded so far, to anyone. */
    public long bytesUploaded(ContentId id) {
        return sent.getOrDefault(id, Map.of()).values().stream().mapToLong(s -> s.bytes.sum()).sum();
    }

    /** Bytes of {@code id} uploaded so far, per node (or per address, for peers that gave no node id). */
    public List<PeerUpload> peers(ContentId id) {
        List<PeerUpload> out = new ArrayList<>();
        sent.getOrDefault(id, Map.of()).forEach((who, s) ->
                out.add(new PeerUpload(s.lastAddress, who.nodeId(), s.bytes.sum())));
        return out;
    }
}
