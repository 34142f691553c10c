package dev.kadshare.node.transfers;

import dev.kadshare.transfer.PeerRoute;
import dev.kadshare.transfer.PeerUpload;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of one download, serialised as JSON by the control API.
 *
 * @param reason while SEARCHING after a setback: why, and when it looks again (one line); else null
 * @param error when FAILED: why (one line); else null
 * @param downloadRate bytes per second received over the last few seconds; 0 unless DOWNLOADING
 * @param uploadRate bytes per second this node served of the content over the last few seconds
 * @param order the order its chunks are asked for in, as {@code POST /v1/transfers} takes it: {@code rarest-first}
 *     or {@code sequential}
 * @param etaSeconds seconds left at the download rate; null unless DOWNLOADING with a rate and a known size
 */
public record TransferStatus(
        String contentId,
        String name,
        long size,
        TransferState state,
        String reason,
        String outDir,
        String path,
        String error,
        int chunksVerified,
        int chunksTotal,
        long bytesDownloaded,
        long bytesUploaded,
        long downloadRate,
        long uploadRate,
        Long etaSeconds,
        LookupStatus lastLookup,
        String order,
        List<PeerStatus> peers) {

    /**
     * Adds the peers this node uploads the content to. A node we also download from gets its uploads added to its
     * entry (matched by node id: its connection to us comes from another port than the one we dial); any
     * other uploader is listed after the peers we download from. {@code self} (this node's id in hex) is never
     * listed: a link to ourselves is closed, not a peer.
     */
    public TransferStatus withUploads(List<PeerUpload> uploaders, String self) {
        return withUploads(uploaders, self, address -> PeerRoute.DIRECT);
    }

    /** As {@link #withUploads(List, String)}, each uploader's connection as {@code routes} says it was made. */
    public TransferStatus withUploads(List<PeerUpload> uploaders, String self,
            java.util.function.Function<java.net.InetSocketAddress, PeerRoute> routes) {
        List<PeerStatus> all = new ArrayList<>(peers);
        for (PeerUpload u : uploaders) {
            String node = PeerStatus.nodeIdOf(u.nodeId());
            int same = node == null ? -1 : indexOfNode(all, node);
            if (same >= 0) {
                all.set(same, all.get(same).plusUploaded(u.bytesUploaded()));
            } else {
                all.add(PeerStatus.uploadedTo(u, routes.apply(u.address())));
            }
        }
        all.removeIf(p -> self.equals(p.nodeId()));
        return new TransferStatus(contentId, name, size, state, reason, outDir, path, error, chunksVerified,
                chunksTotal, bytesDownloaded, bytesUploaded, downloadRate, uploadRate, etaSeconds, lastLookup,
                order, List.copyOf(all));
    }

    private static int indexOfNode(List<PeerStatus> peers, String nodeId) {
        for (int i = 0; i < peers.size(); i++) {
            if (nodeId.equals(peers.get(i).nodeId())) {
                return i;
            }
        }
        return -1;
    }
}
