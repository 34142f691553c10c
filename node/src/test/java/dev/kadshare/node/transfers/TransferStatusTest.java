package dev.kadshare.node.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.PeerRoute;
import dev.kadshare.transfer.PeerUpload;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node we both download from and upload to is one peer entry, whatever ports its two connections use; this node
 * itself is no entry at all.
 */
class TransferStatusTest {
    private static PeerId node(int b) {
        byte[] id = new byte[32];
        id[0] = (byte) b;
        return PeerId.of(id);
    }

    private static TransferStatus downloadingFrom(List<PeerStatus> peers) {
        return new TransferStatus("id", "f", 10, TransferState.DOWNLOADING, null, "/out", null, null, 1, 2, 100, 35,
                0, 0, null, null, "rarest-first", peers);
    }

    @Test
    void uploadsToANodeWeDownloadFromJoinItsEntry() {
        PeerId both = node(1);
        PeerId downloadOnly = node(2);
        TransferStatus status = downloadingFrom(List.of(
                new PeerStatus("127.0.0.1:7001", 60, 0, 0, false, PeerStatus.nodeIdOf(both), PeerStatus.DIRECT),
                new PeerStatus("127.0.0.1:7002", 40, 0, 0, false, PeerStatus.nodeIdOf(downloadOnly), PeerStatus.DIRECT)));
        TransferStatus merged = status.withUploads(List.of(
                new PeerUpload(new InetSocketAddress("127.0.0.1", 51000), both, 30),
                new PeerUpload(new InetSocketAddress("127.0.0.1", 51001), PeerId.UNKNOWN, 5)), node(9).toHex());
        assertEquals(35, merged.bytesUploaded());
        assertEquals(List.of(
                new PeerStatus("127.0.0.1:7001", 60, 30, 0, false, PeerStatus.nodeIdOf(both), PeerStatus.DIRECT),
                new PeerStatus("127.0.0.1:7002", 40, 0, 0, false, PeerStatus.nodeIdOf(downloadOnly), PeerStatus.DIRECT),
                new PeerStatus("127.0.0.1:51001", 0, 5, 0, false, null, PeerStatus.DIRECT)), merged.peers());
    }

    @Test
    void thisNodeIsNeverItsOwnPeer() {
        PeerId self = node(9);
        PeerId other = node(1);
        TransferStatus status = downloadingFrom(List.of(
                new PeerStatus("127.0.0.1:7001", 60, 0, 0, false, PeerStatus.nodeIdOf(other), PeerStatus.DIRECT),
                new PeerStatus("10.0.0.5:7009", 0, 0, 0, false, PeerStatus.nodeIdOf(self), PeerStatus.DIRECT)));
        TransferStatus merged = status.withUploads(List.of(
                new PeerUpload(new InetSocketAddress("127.0.0.1", 51002), self, 0)), self.toHex());
        assertEquals(List.of(new PeerStatus("127.0.0.1:7001", 60, 0, 0, false, PeerStatus.nodeIdOf(other), PeerStatus.DIRECT)),
                merged.peers());
    }

    @Test
    void anUploaderIsListedAsItsConnectionWasMade() {
        PeerId relayedGetter = node(3);
        InetSocketAddress relay = new InetSocketAddress("10.77.100.10", 7700);
        TransferStatus merged = downloadingFrom(List.of()).withUploads(List.of(
                new PeerUpload(relay, relayedGetter, 7),
                new PeerUpload(new InetSocketAddress("10.77.2.1", 7700), node(4), 1)), node(9).toHex(),
                address -> address.equals(relay) ? PeerRoute.RELAYED : PeerRoute.PUNCHED);
        assertEquals(List.of(PeerStatus.RELAYED, PeerStatus.PUNCHED),
                merged.peers().stream().map(PeerStatus::connection).toList());
    }
}
