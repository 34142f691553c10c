package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.testkit.RandomFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LAN discovery hands every node heard "fetching X" to X's transfer as a peer hint ({@code Node.foundOnLan}). A LAN
 * host learns X from our own announces and, from its one address, names a new port per packet (each a "new" peer to
 * {@code LocalDiscovery}, which reports a changed address as first seen): the real neighbour heard after 64 of them
 * is still handed over (the transfer kept the first 64 for good).
 */
class LanHintFloodTest {
    @TempDir
    Path dir;

    @Test
    void bogusLanHintsDoNotCrowdOutARealNeighbour() throws Exception {
        Path file = RandomFiles.write(dir.resolve("f/lan.bin"), 300_000, 12);
        try (Node neighbour = NodeTestSupport.loopbackNode(dir.resolve("neighbour"), List.of());
             Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()))) {
            c.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(neighbour.share(file).get(30, TimeUnit.SECONDS).link());
            Transfer transfer = c.get(link, dir.resolve("out"));
            await().atMost(Duration.ofSeconds(20)).until(() -> c.transfer(link.contentId().toHex()).orElseThrow()
                    .reason() != null);
            assertEquals(TransferState.SEARCHING, transfer.state(), "the DHT alone does not know the neighbour");

            // What Node.foundOnLan does for 64 packets of one LAN host, each naming another port, all "fetching" X.
            for (int port = 1; port <= 64; port++) {
                transfer.addPeerHint(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            // Then the real neighbour's announce.
            transfer.addPeerHint(neighbour.address());

            await().atMost(Duration.ofSeconds(60)).until(() -> transfer.state() == TransferState.COMPLETE);
        }
    }
}
