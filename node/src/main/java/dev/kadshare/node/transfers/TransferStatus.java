package dev.kadshare.node.transfers;

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
        List<PeerStatus> peers) {}
