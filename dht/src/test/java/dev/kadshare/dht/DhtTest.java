package dev.kadshare.dht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.node.NoSeedAnsweredException;
import dev.kadshare.dht.snapshot.RoutingSnapshot;
import dev.kadshare.dht.snapshot.RoutingSnapshotFile;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Ping;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real UDP on 127.0.0.1 through Netty. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhtTest {
    private final SplittableRandom random = new SplittableRandom(7);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Dht> opened = new ArrayList<>();

    @AfterEach
    void tearDown() {
        opened.forEach(Dht::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Dht open(int port) throws Exception {
        return open(config(DhtKey.generate(random), port).build());
    }

    private static DhtConfig.Builder config(DhtKey key, int port) {
        return config(key, new InetSocketAddress("127.0.0.1", port));
    }

    private static DhtConfig.Builder config(DhtKey key, InetSocketAddress bind) {
        return DhtConfig.builder(key, bind.getAddress()).bindAddress(bind);
    }

    private Dht open(DhtConfig config) throws Exception {
        Dht dht = Dht.open(config, group);
        opened.add(dht);
        return dht;
    }

    @Test
    void recordsPutByOneAreFoundByAnother() throws Exception {
        Dht a = open(0);
        Dht b = open(0);
        Dht c = open(0);
        b.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS);
        c.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS);
        NodeId key = NodeId.random(random);
        assertTrue(b.put(key, "first".getBytes()).get(10, TimeUnit.SECONDS) >= 1);
        assertTrue(b.put(key, "second".getBytes()).get(10, TimeUnit.SECONDS) >= 1);
        List<String> found = c.get(key).get(10, TimeUnit.SECONDS).stream().map(String::new).sorted().toList();
        assertEquals(List.of("first", "second"), found);
        assertThrows(Exception.class, () -> b.put(key, new byte[1025]).get(5, TimeUnit.SECONDS));
        LookupResult result = c.lookupPeers(key).get(5, TimeUnit.SECONDS);
        assertTrue(result.rpcs() >= 1 && result.hops() >= 1, result.toString());
        assertTrue(c.status().counter("lookup.count") >= 2);
    }

    @Test
    void aRestartedNodeRejoinsFromItsSnapshotAloneAndFindsContent(@TempDir Path dir) throws Exception {
        Dht a = open(0);
        Dht b = open(0);
        b.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS);
        Path file = dir.resolve("routing.snapshot");
        DhtKey id = DhtKey.generate(random);
        Dht first = open(config(id, 0).snapshot(file).build());
        assertTrue(first.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS) >= 2);
        first.close();
        opened.remove(first);
        assertTrue(Files.exists(file), "saved at close");

        NodeId key = NodeId.random(random);
        assertTrue(b.announce(key, 6999).get(10, TimeUnit.SECONDS) >= 1);

        // No bootstrap call: the saved contacts are all it has.
        Dht again = open(config(id, 0).snapshot(file).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> again.status().routingTableSize() >= 2);
        assertTrue(again.findPeers(key).get(5, TimeUnit.SECONDS).contains(new InetSocketAddress("127.0.0.1", 6999)));
    }

    @Test
    void theSnapshotIsSavedPeriodicallyWhileTheNodeRuns(@TempDir Path dir) throws Exception {
        Dht a = open(0);
        Path file = dir.resolve("routing.snapshot");
        Dht b = open(config(DhtKey.generate(random), 0).snapshot(file).snapshotInterval(Duration.ofMillis(200)).build());
        assertFalse(Files.exists(file), "an empty table is never saved");
        b.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        Files.delete(file);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        RoutingSnapshot saved = new RoutingSnapshotFile(file).load().orElseThrow();
        assertEquals(b.id(), saved.id());
        assertTrue(saved.contacts().stream().anyMatch(c -> c.address().equals(a.localAddress())), saved.toString());
    }

    @Test
    void oneFindsThePeerAnotherAnnounced() throws Exception {
        Dht a = open(0);
        Dht b = open(0);
        Dht c = open(0);
        assertNotEquals(0, a.localAddress().getPort());

        assertEquals(1, b.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS));
        assertTrue(c.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS) >= 1);

        NodeId key = NodeId.random(random);
        int accepted = b.announce(key, 6881).get(10, TimeUnit.SECONDS);
        assertTrue(accepted >= 1, "accepted by " + accepted);

        InetSocketAddress expected = new InetSocketAddress("127.0.0.1", 6881);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(c.findPeers(key).get(5, TimeUnit.SECONDS).contains(expected)));
        assertTrue(a.findPeers(key).get(5, TimeUnit.SECONDS).contains(expected));
        assertTrue(b.findPeers(key).get(5, TimeUnit.SECONDS).contains(expected), "b's own store");

        DhtStatus status = c.status();
        assertTrue(status.routingTableSize() >= 1);
        assertTrue(status.counter("rpc.sent.GetPeers") >= 1);
        assertTrue(a.status().counter("rpc.received.AnnouncePeer") + c.status().counter("rpc.received.AnnouncePeer") >= 1);
    }

    /**
     * Each node on its own loopback IP, as on a real network. B withdraws: the nodes that stored its entry
     * drop it, so a lookup right away (long before the 30 min TTL) no longer returns B. D, on another IP,
     * cannot withdraw B's entry: a withdrawal only ever removes the sender's own IP.
     */
    @Test
    void aWithdrawnAnnouncementIsDroppedByTheNodesThatStoredIt() throws Exception {
        Dht a = open(config(DhtKey.generate(random), new InetSocketAddress("127.0.0.2", 0)).build());
        Dht b = open(config(DhtKey.generate(random), new InetSocketAddress("127.0.0.3", 0)).build());
        Dht c = open(config(DhtKey.generate(random), new InetSocketAddress("127.0.0.4", 0)).build());
        Dht d = open(config(DhtKey.generate(random), new InetSocketAddress("127.0.0.5", 0)).build());
        for (Dht joining : List.of(b, c, d)) {
            joining.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS);
        }
        NodeId key = NodeId.random(random);
        InetSocketAddress bEntry = new InetSocketAddress("127.0.0.3", 6881);
        assertTrue(b.announce(key, 6881).get(10, TimeUnit.SECONDS) >= 1);
        assertTrue(c.findPeers(key).get(10, TimeUnit.SECONDS).contains(bEntry));

        // D announces the same port from its own IP, then withdraws: B's entry stays.
        assertTrue(d.announce(key, 6881).get(10, TimeUnit.SECONDS) >= 1);
        assertTrue(d.withdraw(key).get(10, TimeUnit.SECONDS) >= 1);
        Set<InetSocketAddress> afterD = c.findPeers(key).get(10, TimeUnit.SECONDS);
        assertTrue(afterD.contains(bEntry), "D cannot withdraw B's entry: " + afterD);
        assertFalse(afterD.contains(new InetSocketAddress("127.0.0.5", 6881)), "D's own entry is gone: " + afterD);

        int dropped = b.withdraw(key).get(10, TimeUnit.SECONDS);
        assertTrue(dropped >= 1, "confirmed by " + dropped);
        assertEquals(Set.of(), c.findPeers(key).get(10, TimeUnit.SECONDS), "nobody holds B's entry any more");
        assertEquals(Set.of(), a.findPeers(key).get(10, TimeUnit.SECONDS));
        assertTrue(a.status().counter("rpc.received.WithdrawPeer") + c.status().counter("rpc.received.WithdrawPeer") >= 1);
    }

    @Test
    void aLoneNodeFindsItsOwnAnnouncement() throws Exception {
        Dht a = open(0);
        NodeId key = NodeId.random(random);
        assertEquals(0, a.announce(key, 7000).get(5, TimeUnit.SECONDS));
        assertEquals(Set.of(new InetSocketAddress("127.0.0.1", 7000)), a.findPeers(key).get(5, TimeUnit.SECONDS));
    }

    @Test
    void bootstrapFailsWhenNoSeedAnswers() throws Exception {
        Dht a = open(0);
        Dht gone = open(0);
        InetSocketAddress deadSeed = gone.localAddress();
        gone.close();
        opened.remove(gone);
        CompletionException e = assertThrows(CompletionException.class, () -> a.bootstrap(List.of(deadSeed)).join());
        assertInstanceOf(NoSeedAnsweredException.class, e.getCause());
    }

    @Test
    void bindingATakenPortFails() throws Exception {
        Dht a = open(0);
        assertThrows(BindException.class, () -> open(a.localAddress().getPort()));
    }

    /** A node whose loop is busy keeps what its socket's receive buffer holds, and loses the rest. */
    @Test
    void aLargerReceiveBufferKeepsABurstThatTheDefaultLoses() throws Exception {
        long defaultBuffer = kernelSetting("rmem_default");
        long maxBuffer = kernelSetting("rmem_max");
        int burst = 1000;
        int asked = 1 << 20;
        // About 1 KiB of buffer per small datagram: the default must hold fewer than the burst, the larger one all.
        assumeTrue(defaultBuffer < 256 * 1024 && maxBuffer >= asked,
                "needs net.core.rmem_default < 256 KiB and rmem_max >= 1 MiB, have " + defaultBuffer + " and " + maxBuffer);
        Dht large = open(config(DhtKey.generate(random), 0).receiveBufferBytes(asked).build());
        Dht plain = open(0);
        byte[] ping = Envelope.request(DhtKey.generate(random).publicKey(),
                new MessageCodec().encode(new Ping(1, NodeId.random(random))));
        CountDownLatch release = new CountDownLatch(1);
        try (var socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            group.forEach(loop -> loop.execute(() -> awaitUninterruptibly(release)));
            for (int i = 0; i < burst; i++) {
                socket.send(new java.net.DatagramPacket(ping, ping.length, large.localAddress()));
                socket.send(new java.net.DatagramPacket(ping, ping.length, plain.localAddress()));
            }
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> large.status().counter("rpc.received.Ping") == burst);
        assertTrue(plain.status().counter("rpc.received.Ping") < burst, "the default buffer held the whole burst");
    }

    /** A net.core setting; procfs reports a size of 0, so read it line by line, not by its size. */
    private static long kernelSetting(String name) throws Exception {
        return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core", name)).get(0).strip());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void malformedDatagramsAreCountedNotFatal() throws Exception {
        Dht a = open(0);
        Dht b = open(0);
        try (var socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            byte[] junk = Envelope.request(DhtKey.generate(random).publicKey(), new byte[] {MessageCodec.VERSION, 2, 3});
            socket.send(new java.net.DatagramPacket(junk, junk.length, a.localAddress()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> a.status().counter("dropped.UNKNOWN_TYPE") == 1);
        assertEquals(1, b.bootstrap(List.of(a.localAddress())).get(5, TimeUnit.SECONDS));
    }
}
