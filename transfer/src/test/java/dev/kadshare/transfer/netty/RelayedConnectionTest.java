package dev.kadshare.transfer.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.PeerRoute;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.relay.RelayCaps;
import dev.kadshare.transfer.relay.RelayRequest;
import dev.kadshare.transfer.relay.RelayStatus;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay on 127.0.0.1: a whole download through it, end to end encrypted, and its caps on raw sockets. (Through two
 * symmetric NATs it is {@code RelayedGetIT}'s, in network namespaces.)
 */
class RelayedConnectionTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    @TempDir
    Path dir;
    private final EventLoopGroup group = Transport.NIO.newGroup(2);

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aDownloadRunsThroughARelayToASharerWaitingThere() throws Exception {
        Content content = content("r.bin", 700_000, 9);
        byte[] data = content.data();
        Path file = content.file();
        Manifest manifest = content.manifest();
        try (TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group);
             TransferServer sharer = TransferServer.start(LOOPBACK,
                     id -> Optional.of(new SharedContent(manifest, file)), group)) {
            RelayService service = new RelayService(RelayCaps.defaults(), () -> true);
            relay.offerRelay(service);
            sharer.reserveAt(relay.localAddress(), sharer.localAddress().getPort());

            NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(sharer.localAddress()),
                    dir.resolve("out"), group, DownloadOptions.defaults(), NettyDownload.Milestones.NONE,
                    LinkSecurity.ephemeral(), Map.of(), Map.of(sharer.localAddress(), relay.localAddress()));
            Path done = download.completion().get(30, TimeUnit.SECONDS);

            assertArrayEquals(data, Files.readAllBytes(done));
            assertTrue(download.isRelayed(sharer.localAddress()));
            assertEquals(1, sharer.relayedConnections());
            assertEquals(PeerRoute.RELAYED, sharer.routeOf(relay.localAddress()));
            assertEquals(List.of(relay.localAddress()), sharer.uploads().peers(manifest.contentId()).stream()
                    .map(p -> p.address()).toList(), "the sharer served a connection from the relay");
            await().atMost(Duration.ofSeconds(20)).until(() -> service.snapshot().circuits() == 0);
            // Encrypted records (and the link's handshake) cost more than the content's bytes: the stream went whole.
            assertTrue(service.snapshot().bytesRelayed() > data.length, service.snapshot().toString());
            assertEquals(1, service.snapshot().circuitsOpened());
            await().atMost(Duration.ofSeconds(20)).until(() -> service.snapshot().reservations() == 1);
        }
    }

    @Test
    void aRelayedPeerThatAnswersDirectlyIsMovedToTheDirectPath() throws Exception {
        Content content = content("d.bin", 2_000_000, 11);
        byte[] data = content.data();
        Path file = content.file();
        Manifest manifest = content.manifest();
        java.util.List<InetSocketAddress> found = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group);
             TransferServer relayedSharer = TransferServer.start(LOOPBACK,
                     id -> Optional.of(new SharedContent(manifest, file)), group);
             TransferServer slowSharer = TransferServer.start(LOOPBACK,
                     id -> Optional.of(new SharedContent(manifest, file)), group,
                     dev.kadshare.transfer.TransferLimits.defaults().withNodeUploadRate(64 * 1024))) {
            // Slow through the relay (and a slow second sharer): the download is still going when the direct path is
            // found, and goes on from the second sharer while the first is dialled again.
            RelayService service = new RelayService(RelayCaps.defaults().withBytesPerSecondPerCircuit(64 * 1024),
                    () -> true);
            relay.offerRelay(service);
            InetSocketAddress relayed = relayedSharer.localAddress();
            relayedSharer.reserveAt(relay.localAddress(), relayed.getPort());
            NettyDownload download = NettyDownload.start(manifest.contentId(),
                    List.of(relayed, slowSharer.localAddress()), dir.resolve("out"), group, DownloadOptions.defaults(),
                    new NettyDownload.Milestones() {
                        @Override
                        public void directPathFound(InetSocketAddress peer) {
                            found.add(peer);
                        }
                    }, LinkSecurity.ephemeral(), Map.of(), Map.of(relayed, relay.localAddress()));
            await().atMost(Duration.ofSeconds(20)).until(() -> service.snapshot().bytesRelayed() > 0
                    || service.snapshot().circuits() > 0);

            download.probeDirect(relayed);
            Path done = download.completion().get(60, TimeUnit.SECONDS);

            assertArrayEquals(data, Files.readAllBytes(done));
            assertEquals(List.of(relayed), found);
            assertTrue(!download.isRelayed(relayed));
            List<InetSocketAddress> uploadedTo = relayedSharer.uploads().peers(manifest.contentId()).stream()
                    .map(p -> p.address()).toList();
            assertEquals(1, uploadedTo.size(), "one node: " + uploadedTo);
            assertTrue(!uploadedTo.get(0).equals(relay.localAddress()), "its latest connection came directly");
            assertEquals(PeerRoute.DIRECT, relayedSharer.routeOf(uploadedTo.get(0)));
        }
    }

    @Test
    void aSecondCircuitBeyondACapOfOneIsRefusedAndCounted() throws Exception {
        try (TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group)) {
            RelayService service = new RelayService(RelayCaps.defaults().withMaxCircuits(1), () -> true);
            relay.offerRelay(service);
            try (Socket sharer = reserve(relay, 4001); Socket sharer2 = reserve(relay, 4002);
                 Socket getter = connect(relay, 4001)) {
                assertEquals(RelayStatus.ACCEPTED, answer(getter));
                assertEquals(RelayWire.CIRCUIT_OPEN, sharer.getInputStream().read());
                getter.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), sharer.getInputStream().readNBytes(5));
                sharer.getOutputStream().write('!');
                assertEquals('!', getter.getInputStream().read());

                try (Socket second = connect(relay, 4002)) {
                    assertEquals(RelayStatus.CIRCUITS_FULL, answer(second));
                    assertEquals(-1, second.getInputStream().read(), "closed after the refusal");
                }
                assertEquals(Map.of(RelayStatus.CIRCUITS_FULL, 1L), service.snapshot().refused());
            }
        }
    }

    /**
     * Hosts each at the 4 connections a server lets one keep, all as circuits to themselves (a reservation and a
     * CONNECT to it, twice) that would trickle bytes: 8 of them held all 16 circuits, and no other node was relayed.
     * A host is an end of 2 circuits at most now, a circuit to itself counting twice: they hold 8.
     */
    @Test
    void hostsHoldingCircuitsToThemselvesLeaveRoomForOthers() throws Exception {
        withDefaultRelay((relay, service, held) -> {
            List<RelayStatus> answers = new ArrayList<>();
            for (int h = 0; h < 8; h++) {
                String host = "127.0.0." + (11 + h);
                for (int port = 5001; port <= 5002; port++) {
                    Socket sharer = open(relay, RelayWire.encode(new RelayRequest.Reserve(port)), host);
                    held.add(sharer);
                    assertEquals(RelayStatus.ACCEPTED, answer(sharer));
                    Socket getter = open(relay, RelayWire.encode(new RelayRequest.Connect(
                            new InetSocketAddress(InetAddress.getByName(host), port))), host);
                    held.add(getter);
                    answers.add(answer(getter));
                }
            }
            assertAnotherNodeIsRelayed(relay, held, "127.0.0.30", "127.0.0.31",
                    "another node is relayed: " + answers);
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i % 2 == 0 ? RelayStatus.ACCEPTED : RelayStatus.HOST_CIRCUITS_FULL, answers.get(i));
            }
            assertEquals(9, service.snapshot().circuits());
            assertEquals(Map.of(RelayStatus.HOST_CIRCUITS_FULL, 8L), service.snapshot().refused());
        });
    }

    /**
     * 64 hosts, each at the 4 connections a server lets one keep, all waiting as sharers: they held all 256
     * reservations, and no other sharer behind a NAT could wait at the relay. A host holds 2 at most now: they hold
     * 128, and another sharer waits and is relayed.
     */
    @Test
    void hostsHoldingEveryReservationLeaveRoomForOthers() throws Exception {
        withDefaultRelay((relay, service, held) -> {
            List<RelayStatus> answers = new ArrayList<>();
            for (int h = 0; h < 64; h++) {
                for (int port = 5001; port <= 5004; port++) {
                    Socket sharer = open(relay, RelayWire.encode(new RelayRequest.Reserve(port)),
                            "127.0.0." + (11 + h));
                    held.add(sharer);
                    answers.add(answer(sharer));
                }
            }
            assertAnotherNodeIsRelayed(relay, held, "127.0.0.100", "127.0.0.101", "another sharer waits");
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i % 4 < 2 ? RelayStatus.ACCEPTED : RelayStatus.HOST_RESERVATIONS_FULL,
                        answers.get(i));
            }
            assertEquals(128, service.snapshot().reservations());
            assertEquals(Map.of(RelayStatus.HOST_RESERVATIONS_FULL, 128L), service.snapshot().refused());
        });
    }

    /** What a test does with a relay: the sockets it opens go into {@code held}. */
    private interface RelayRun {
        void run(TransferServer relay, RelayService service, List<Socket> held) throws Exception;
    }

    /** Runs {@code test} against a relay with the default caps, then closes the sockets it held. */
    private void withDefaultRelay(RelayRun test) throws Exception {
        try (TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group)) {
            RelayService service = new RelayService(RelayCaps.defaults(), () -> true);
            relay.offerRelay(service);
            List<Socket> held = new ArrayList<>();
            try {
                test.run(relay, service, held);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * A sharer from {@code sharerHost} waits on port 7000 and a getter from {@code getterHost} asks for it: both are
     * accepted and joined (their sockets go into {@code held}).
     */
    private static void assertAnotherNodeIsRelayed(TransferServer relay, List<Socket> held, String sharerHost,
            String getterHost, String why) throws IOException {
        Socket sharer = open(relay, RelayWire.encode(new RelayRequest.Reserve(7000)), sharerHost);
        held.add(sharer);
        assertEquals(RelayStatus.ACCEPTED, answer(sharer), why);
        Socket getter = open(relay, RelayWire.encode(new RelayRequest.Connect(
                new InetSocketAddress(InetAddress.getByName(sharerHost), 7000))), getterHost);
        held.add(getter);
        assertEquals(RelayStatus.ACCEPTED, answer(getter), why);
        assertEquals(RelayWire.CIRCUIT_OPEN, sharer.getInputStream().read());
    }

    @Test
    void aCircuitPastItsByteCapIsClosedAndCounted() throws Exception {
        try (TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group)) {
            RelayService service = new RelayService(RelayCaps.defaults().withBytesPerCircuit(10), () -> true);
            relay.offerRelay(service);
            try (Socket getter = connect(relay, 4001); Socket sharer = reserve(relay, 4001)) {
                // The getter came first and waited: the reservation joined it.
                assertEquals(RelayStatus.ACCEPTED, answer(getter));
                assertEquals(RelayWire.CIRCUIT_OPEN, sharer.getInputStream().read());
                getter.getOutputStream().write(new byte[11]);
                assertEquals(-1, sharer.getInputStream().read(), "cut before passing any of it on");
                assertEquals(-1, getter.getInputStream().read());
                await().atMost(Duration.ofSeconds(20)).until(() -> service.snapshot().cutAtByteCap() == 1);
            }
        }
    }

    @Test
    void aNodeThatDoesNotRelayRefusesAsNotOffered() throws Exception {
        try (TransferServer plain = TransferServer.start(LOOPBACK, id -> Optional.empty(), group);
             Socket getter = connect(plain, 4001)) {
            assertEquals(RelayStatus.NOT_OFFERED, answer(getter));
        }
        try (TransferServer notPublic = TransferServer.start(LOOPBACK, id -> Optional.empty(), group)) {
            RelayService service = new RelayService(RelayCaps.defaults(), () -> false);
            notPublic.offerRelay(service);
            try (Socket sharer = open(notPublic, RelayWire.encode(new RelayRequest.Reserve(4001)))) {
                assertEquals(RelayStatus.NOT_OFFERED, answer(sharer));
            }
            assertEquals(Map.of(RelayStatus.NOT_OFFERED, 1L), service.snapshot().refused());
        }
    }

    @Test
    void aGetterNobodyReservedForIsToldSoAfterItsWait() throws Exception {
        try (TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group)) {
            RelayService service = new RelayService(RelayCaps.defaults(), () -> true);
            relay.offerRelay(service);
            try (Socket getter = connect(relay, 4999)) {
                assertEquals(RelayStatus.NO_RESERVATION, answer(getter));
            }
            assertEquals(Map.of(RelayStatus.NO_RESERVATION, 1L), service.snapshot().refused());
        }
    }

    /**
     * A peer that never answers a SYN (a listener whose accept queue is full drops them, as a NAT does): its dial is
     * reported stalled after {@link Dialer#DIAL_PATIENCE}, and a relay set then replaces the dial still being made,
     * so the download completes long before that dial's 10 s timeout would have let the relay be tried.
     */
    @Test
    void aStalledDialIsReplacedByARelayAtOnce() throws Exception {
        Content content = content("s.bin", 300_000, 11);
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket queued1 = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort());
             Socket queued2 = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort());
             TransferServer relay = TransferServer.start(LOOPBACK, id -> Optional.empty(), group);
             TransferServer sharer = TransferServer.start(LOOPBACK,
                     id -> Optional.of(new SharedContent(content.manifest(), content.file())), group)) {
            relay.offerRelay(new RelayService(RelayCaps.defaults(), () -> true));
            // The sharer waits at the relay under the address the getter knows it by: the silent one.
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            sharer.reserveAt(relay.localAddress(), peer.getPort());
            java.util.concurrent.atomic.AtomicReference<NettyDownload> download =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong stalledAfter = new java.util.concurrent.atomic.AtomicLong(-1);
            long start = System.nanoTime();
            download.set(NettyDownload.start(content.manifest().contentId(), List.of(peer), dir.resolve("out"), group,
                    DownloadOptions.defaults(), new NettyDownload.Milestones() {
                        @Override
                        public void stalled(InetSocketAddress stalledPeer) {
                            if (stalledPeer.equals(peer) && stalledAfter.compareAndSet(-1, System.nanoTime() - start)) {
                                await().atMost(Duration.ofSeconds(5)).until(() -> download.get() != null);
                                download.get().relay(peer, relay.localAddress());
                            }
                        }
                    }, LinkSecurity.ephemeral()));
            Path done = download.get().completion().get(30, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertArrayEquals(content.data(), Files.readAllBytes(done));
            assertTrue(download.get().isRelayed(peer));
            assertTrue(stalledAfter.get() >= Dialer.DIAL_PATIENCE.toNanos(), "reported stalled before its patience");
            assertTrue(tookMillis < 9_000, "the stalled dial was waited out: " + tookMillis + " ms");
        }
    }

    private record Content(byte[] data, Path file, Manifest manifest) {}

    /** A file of {@code size} random bytes (from {@code seed}) under {@code name}, and its manifest. */
    private Content content(String name, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path file = Files.write(dir.resolve(name), data);
        return new Content(data, file, Manifest.ofFile(file, name, 64 * 1024));
    }

    private static Socket reserve(TransferServer relay, int port) throws IOException {
        Socket s = open(relay, RelayWire.encode(new RelayRequest.Reserve(port)));
        assertEquals(RelayStatus.ACCEPTED, answer(s));
        return s;
    }

    private static Socket connect(TransferServer relay, int port) throws IOException {
        return open(relay, RelayWire.encode(new RelayRequest.Connect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port))));
    }

    private static Socket open(TransferServer server, byte[] request) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort());
        s.setSoTimeout(20_000);
        s.getOutputStream().write(request);
        return s;
    }

    /** As {@link #open(TransferServer, byte[])}, from {@code source}, a loopback address. */
    private static Socket open(TransferServer server, byte[] request, String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.localAddress().getPort()), 5_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(request);
        return s;
    }

    private static RelayStatus answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return RelayWire.parseAnswer(in.readNBytes(RelayWire.ANSWER_BYTES));
    }
}
