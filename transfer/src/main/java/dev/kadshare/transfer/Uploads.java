package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.serving.UploadCounts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a server has uploaded, for whoever shows status: bytes per content and peer, as each content's hub last
 * published them (a snapshot per hub, replaced as its counts change). Thread-safe: hubs publish from their loops,
 * the node reads from any thread.
 */
public final class Uploads {
    /** Per content, per hub (a content may have had more than one since start): its latest counts. */
    private final Map<ContentId, Map<Long, List<PeerUpload>>> published = new ConcurrentHashMap<>();

    /** Hub {@code hub} of content {@code id} has uploaded {@code peers} so far. */
    public void publish(ContentId id, long hub, List<PeerUpload> peers) {
        published.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(hub, List.copyOf(peers));
    }

    /** Bytes of {@code id} uploaded so far, to anyone. */
    public long bytesUploaded(ContentId id) {
        return published.getOrDefault(id, Map.of()).values().stream()
                .flatMap(List::stream).mapToLong(PeerUpload::bytesUploaded).sum();
    }

    /** Bytes of {@code id} uploaded so far, per node (or per address, for peers that gave no node id). */
    public List<PeerUpload> peers(ContentId id) {
        UploadCounts merged = new UploadCounts();
        published.getOrDefault(id, Map.of()).values().forEach(peers ->
                peers.forEach(p -> merged.count(p.nodeId(), p.address(), p.bytesUploaded())));
        return merged.peers();
    }
}
