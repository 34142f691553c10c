package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.testkit.RandomFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A link's peer hint reaches a holder the DHT cannot: here one in a network of its own. */
class PeerHintTest {
    @TempDir
    Path dir;

    @Test
    void aHintedPeerOutsideTheDhtIsUsed() throws Exception {
        Path file = RandomFiles.write(dir.resolve("f/hinted.bin"), 1_500_000, 6);
        try (Node loner = NodeTestSupport.loopbackNode(dir.resolve("loner"), List.of());
             Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()))) {
            c.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink shared = MagnetLink.parse(loner.share(file).get(30, TimeUnit.SECONDS).link());
            MagnetLink link = new MagnetLink(shared.contentId(), shared.name(), shared.size(), List.of(loner.address()));
            Path got = c.get(link, dir.resolve("out")).done().get(30, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(got));
        }
    }

    /** What LAN discovery does with a neighbour fetching the same content: a hint handed to a transfer already running. */
    @Test
    void aHintGivenToARunningTransferIsTriedAtItsNextSearch() throws Exception {
        hintedWhileSearching(dir.resolve("f/later.bin"), (transfer, loner) -> transfer.addPeerHint(loner));
    }

    /**
     * A LAN host learns what we fetch from our own announces and, from its one address, names a new port per packet
     * (each a "new" neighbour fetching it too): the real neighbour heard after 64 of them is still handed over.
     */
    @Test
    void bogusLanHintsDoNotCrowdOutARealNeighbour() throws Exception {
        hintedWhileSearching(dir.resolve("f/lan.bin"), (transfer, loner) -> {
            for (int port = 1; port <= 64; port++) {
                transfer.addPeerHint(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            transfer.addPeerHint(loner);
        });
    }

    /** A transfer of a loner's file, searching in vain (the DHT does not know the loner), completes once hinted. */
    private void hintedWhileSearching(Path file, BiConsumer<Transfer, InetSocketAddress> hint) throws Exception {
        RandomFiles.write(file, 700_000, 8);
        try (Node loner = NodeTestSupport.loopbackNode(dir.resolve("loner"), List.of());
             Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()))) {
            c.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(loner.share(file).get(30, TimeUnit.SECONDS).link());
            Transfer transfer = c.get(link, dir.resolve("out"));
            await().atMost(Duration.ofSeconds(20)).until(() -> c.transfer(link.contentId().toHex()).orElseThrow()
                    .reason() != null);
            assertEquals(TransferState.SEARCHING, transfer.state(), "the DHT alone does not know the loner");
            hint.accept(transfer, loner.address());
            Path got = transfer.done().get(60, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(got));
        }
    }
}
