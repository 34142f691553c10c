package dev.kadshare.node.transfers;

import dev.kadshare.transfer.PeerUpload;
import java.util.ArrayList;
import java.util.List;

/** A snapshot of one download, serialised as JSON by the control API. */
public record TransferStatus(
        String contentId,
        String name,
        long size,
        TransferState state,
        String outDir,
        String path,
        String error,
        int chunksVerified,
        int chunksTotal,
        long bytesDownloaded,
        long bytesUploaded,
        LookupStatus lastLookup,
        List<PeerStatus> peers) {

    /**
     * Adds what this node uploaded of the content. A node we also download from gets its uploads added to its
     * entry (matched by node id: its connection to us comes from another port than the one we dial); any
     * other uploader is listed after the peers we download from.
     */
    public TransferStatus withUploads(long uploaded, List<PeerUpload> uploaders) {
        List<PeerStatus> all = new ArrayList<>(peers);
        for (PeerUpload u : uploaders) {
            String node = PeerStatus.nodeIdOf(u.nodeId());
            int same = node == null ? -1 : indexOfNode(all, node);
            if (same >= 0) {
                all.set(same, all.get(same).plusUploaded(u.bytesUploaded()));
            } else {
                all.add(PeerStatus.uploadedTo(u));
            }
        }
        return new TransferStatus(contentId, name, size, state, outDir, path, error, chunksVerified, chunksTotal,
                bytesDownloaded, uploaded, lastLookup, List.copyOf(all));
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
