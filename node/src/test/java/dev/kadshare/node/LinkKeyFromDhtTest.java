package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.net.Transport;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.link.LinkSecurity;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharer's announcement carries its link's static key, so a getter that found it through the DHT opens its first
 * link to it with IK; a wrong key in the DHT costs one XX fallback and is kept nowhere.
 */
class LinkKeyFromDhtTest {
    @TempDir
    Path dir;
    private Node seed;
    private Node sharer;
    private Node getter;

    @BeforeEach
    void startNodes() throws Exception {
        seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of());
        sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()));
        getter = NodeTestSupport.loopbackNode(dir.resolve("getter"), List.of(seed.address()));
        // each has joined (a first round that timed out on a loaded machine is retried)
        for (Node node : new Node[] {sharer, getter}) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.peers().routingTableSize() >= 1);
        }
    }

    @AfterEach
    void closeNodes() {
        for (Node node : new Node[] {getter, sharer, seed}) {
            if (node != null) {
                node.close();
            }
        }
    }

    private static LinkSecurity.Encrypted links(Node node) {
        return (LinkSecurity.Encrypted) node.links();
    }

    /** The sharer shares {@code original}; the link to it. */
    private MagnetLink share(Path original) throws Exception {
        return MagnetLink.parse(sharer.share(original).get(30, TimeUnit.SECONDS).link());
    }

    private void getterGets(MagnetLink link, Path original) throws Exception {
        Transfer transfer = getter.get(link, Files.createDirectories(dir.resolve("out")));
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(transfer.done().get(30, TimeUnit.SECONDS)));
    }

    @Test
    void aFirstGetFromASharerFoundInTheDhtUsesIk() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/ik.bin"), 300 * 1024, 7);
        getterGets(share(original), original);
        assertTrue(links(getter).hints().confirmedCount() >= 1, "the first link was IK on the key the DHT named");
        assertEquals(0, getter.connectionDrops().count(ConnectionDrop.KEY_HINT_REFUTED));
        assertEquals(0, sharer.connectionDrops().count(ConnectionDrop.HANDSHAKE_FAILED));
    }

    @Test
    void aWrongKeyInTheDhtCostsOneXxFallbackAndIsNotKept() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/lie.bin"), 300 * 1024, 8);
        MagnetLink link = share(original);
        EventLoopGroup liarLoop = Transport.preferred().newGroup(1);
        try {
            // A bare DHT node on the same loopback IP announces the sharer's port with a key of its own making, after
            // the sharer: the storers return both entries, and the newest (the lie) wins the tie.
            byte[] lie = new byte[LinkKey.BYTES];
            Arrays.fill(lie, (byte) 0x5a);
            Dht liar = Dht.open(DhtConfig.builder(DhtKey.generate(new SplittableRandom(9)), InetAddress.getLoopbackAddress())
                    .bindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).linkKey(LinkKey.of(lie))
                    .build(), liarLoop);
            try {
                liar.bootstrap(List.of(seed.address())).get(10, TimeUnit.SECONDS);
                NodeId key = NodeId.of(link.contentId().bytes());
                assertTrue(liar.announce(key, sharer.port()).get(10, TimeUnit.SECONDS) >= 1);
                assertEquals(LinkKey.of(lie), liar.lookupPeers(key).get(10, TimeUnit.SECONDS)
                        .linkKeyOf(new InetSocketAddress(InetAddress.getLoopbackAddress(), sharer.port())).orElseThrow(),
                        "the DHT now names the wrong key");

                getterGets(link, original);
                assertEquals(1, getter.connectionDrops().count(ConnectionDrop.KEY_HINT_REFUTED), "one failed IK, counted");
                assertEquals(0, links(getter).hints().confirmedCount());
                InetSocketAddress sharerAt = new InetSocketAddress(InetAddress.getLoopbackAddress(), sharer.port());
                assertArrayEquals(links(sharer).identity().noiseStatic().publicKey(),
                        links(getter).known().at(sharerAt).orElseThrow().staticKey().orElseThrow(),
                        "the key the XX handshake proved is kept, not the DHT's");
                assertTrue(links(getter).hints().at(sharerAt).isEmpty(), "the wrong hint is refuted");
            } finally {
                liar.close();
            }
        } finally {
            liarLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
