package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upload counts follow nodes across connections; peers without a node id are counted per address. */
class UploadsTest {
    private static final ContentId CONTENT = ContentId.of(new byte[32]);

    @Test
    void aNodeIsOneUploaderAcrossConnectionsAndAnonymousPeersArePerAddress() {
        byte[] raw = new byte[32];
        raw[31] = 9;
        PeerId node = PeerId.of(raw);
        InetSocketAddress first = new InetSocketAddress("127.0.0.1", 50001);
        InetSocketAddress second = new InetSocketAddress("127.0.0.1", 50002);
        InetSocketAddress anonymous = new InetSocketAddress("127.0.0.1", 50003);
        Uploads uploads = new Uploads(TransferLimits.defaults());
        uploads.count(CONTENT, node, first, 100);
        uploads.count(CONTENT, node, second, 50); // the same node, reconnected from another port
        uploads.count(CONTENT, PeerId.UNKNOWN, anonymous, 7);
        uploads.count(CONTENT, PeerId.UNKNOWN, second, 1); // no id: this address is its own uploader
        List<PeerUpload> peers = uploads.peers(CONTENT).stream()
                .sorted(Comparator.comparingLong(PeerUpload::bytesUploaded)).toList();
        assertEquals(List.of(new PeerUpload(second, PeerId.UNKNOWN, 1), new PeerUpload(anonymous, PeerId.UNKNOWN, 7),
                new PeerUpload(second, node, 150)), peers);
        assertEquals(158, uploads.bytesUploaded(CONTENT));
    }
}
