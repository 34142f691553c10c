package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.PeerUpload;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upload counts follow nodes across connections; peers without a node id are counted per address. */
class UploadCountsTest {
    @Test
    void aNodeIsOneUploaderAcrossConnectionsAndAnonymousPeersArePerAddress() {
        byte[] raw = new byte[32];
        raw[31] = 9;
        PeerId node = PeerId.of(raw);
        InetSocketAddress first = new InetSocketAddress("127.0.0.1", 50001);
        InetSocketAddress second = new InetSocketAddress("127.0.0.1", 50002);
        InetSocketAddress anonymous = new InetSocketAddress("127.0.0.1", 50003);
        UploadCounts counts = new UploadCounts();
        counts.count(node, first, 100);
        counts.count(node, second, 50); // the same node, reconnected from another port
        counts.count(PeerId.UNKNOWN, anonymous, 7);
        counts.count(PeerId.UNKNOWN, second, 1); // no id: this address is its own uploader
        assertEquals(List.of(new PeerUpload(second, node, 150), new PeerUpload(anonymous, PeerId.UNKNOWN, 7),
                new PeerUpload(second, PeerId.UNKNOWN, 1)), counts.peers());
        assertEquals(158, counts.total());
    }
}
