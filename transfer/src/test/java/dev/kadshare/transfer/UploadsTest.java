package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the node reads: each hub's latest counts, merged per content and peer. */
class UploadsTest {
    private static final ContentId CONTENT = ContentId.of(new byte[32]);
    private static final ContentId OTHER = ContentId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    @Test
    void aHubsLatestCountsReplaceItsEarlierOnesAndTwoHubsOfOneContentAdd() {
        byte[] raw = new byte[32];
        raw[31] = 9;
        PeerId node = PeerId.of(raw);
        InetSocketAddress first = new InetSocketAddress("127.0.0.1", 50001);
        InetSocketAddress second = new InetSocketAddress("127.0.0.1", 50002);
        Uploads uploads = new Uploads();
        assertEquals(0, uploads.bytesUploaded(CONTENT));
        assertEquals(List.of(), uploads.peers(CONTENT));
        uploads.publish(CONTENT, 1, List.of(new PeerUpload(first, node, 10)));
        uploads.publish(CONTENT, 1, List.of(new PeerUpload(first, node, 100),
                new PeerUpload(second, PeerId.UNKNOWN, 5)));
        // A later hub of the same content (say, its download finished and it is shared from the library now).
        uploads.publish(CONTENT, 2, List.of(new PeerUpload(second, node, 50)));
        uploads.publish(OTHER, 3, List.of(new PeerUpload(second, node, 1000)));
        assertEquals(155, uploads.bytesUploaded(CONTENT));
        assertEquals(List.of(new PeerUpload(second, node, 150), new PeerUpload(second, PeerId.UNKNOWN, 5)),
                uploads.peers(CONTENT));
        assertEquals(1000, uploads.bytesUploaded(OTHER));
    }
}
