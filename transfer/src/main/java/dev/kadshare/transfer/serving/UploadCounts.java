package dev.kadshare.transfer.serving;

import dev.kadshare.transfer.PeerUpload;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes uploaded per peer: per node when the peer gave its node id (one uploader whatever connection it comes
 * from), else per connection address. Pure, not thread-safe.
 */
public final class UploadCounts {
    private static final InetSocketAddress UNSPECIFIED = new InetSocketAddress(0);

    /** Who an upload is counted for: a node when it said its id, else a connection address. */
    private record Uploader(PeerId nodeId, InetSocketAddress address) {
        static Uploader of(PeerId nodeId, InetSocketAddress address) {
            return new Uploader(nodeId, nodeId.isKnown() ? UNSPECIFIED : address);
        }
    }

    /** Bytes sent to one uploader, and the address of its latest connection. */
    private static final class Sent {
        long bytes;
        InetSocketAddress lastAddress;
    }

    private final Map<Uploader, Sent> sent = new LinkedHashMap<>();
    private long total;

    /** Counts {@code bytes} sent to the peer at {@code address}, which said it is {@code nodeId}. */
    public void count(PeerId nodeId, InetSocketAddress address, long bytes) {
        Sent s = sent.computeIfAbsent(Uploader.of(nodeId, address), k -> new Sent());
        s.lastAddress = address;
        s.bytes += bytes;
        total += bytes;
    }

    /** Takes back {@code bytes} counted for the peer for a chunk that could not be read after all: none of it went out. */
    public void takeBack(PeerId nodeId, InetSocketAddress address, long bytes) {
        Sent s = sent.get(Uploader.of(nodeId, address));
        if (s != null) {
            long back = Math.min(bytes, s.bytes);
            s.bytes -= back;
            total -= back;
        }
    }

    /** Bytes uploaded so far, to anyone. */
    public long total() {
        return total;
    }

    /** Bytes uploaded so far per node (or per address, for peers that gave no node id), in order of first upload. */
    public List<PeerUpload> peers() {
        List<PeerUpload> out = new ArrayList<>(sent.size());
        sent.forEach((who, s) -> out.add(new PeerUpload(s.lastAddress, who.nodeId(), s.bytes)));
        return out;
    }
}
