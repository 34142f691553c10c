package dev.kadshare.transfer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.SealedBytes;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server against strangers, over real sockets on 127.0.0.0/8 (several source addresses, which Linux routes on
 * loopback): its caps in total, per IP address and per content, the HELLO and idle timeouts, the outbound budget of
 * a peer that asks without reading, and a connection flood while an honest download goes on. Every refusal and close
 * must be counted in the server's {@link ConnectionDrops}.
 */
class ServerGuardsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Loopback answers a SYN in microseconds: none in this long means it was dropped (the retry comes at 1 s). */
    private static final int NO_ANSWER_MILLIS = 500;
    private static EventLoopGroup group;

    @TempDir
    Path dir;
    private Manifest manifest;
    private SharedContent shared;
    private final List<TransferServer> servers = new ArrayList<>();
    private final List<RawPeer> peers = new ArrayList<>();

    @BeforeAll
    static void startLoops() {
        group = Transport.preferred().newGroup(2); // as a node runs: epoll on Linux, with the kernel's flood bans
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void share() throws IOException {
        manifest = shareOf(256 << 10, 4 << 10, 1);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (RawPeer peer : peers) {
            peer.close();
        }
        servers.forEach(TransferServer::close);
    }

    /** Shares a random file of {@code length} bytes in chunks of {@code chunk}: the manifest, also set as {@link #shared}. */
    private Manifest shareOf(int length, int chunk, long seed) throws IOException {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        Path file = Files.write(dir.resolve("shared-" + seed + ".bin"), data);
        Manifest made = Manifest.ofFile(file, "shared.bin", chunk);
        shared = new SharedContent(made, file);
        return made;
    }

    private TransferServer serve(ConnectionLimits limits) throws IOException {
        return serve(limits, new PeerBans());
    }

    private TransferServer serve(ConnectionLimits limits, PeerBans bans) throws IOException {
        return serve(limits, TransferLimits.defaults(), bans, new SealedBytes(SealedBytes.DEFAULT_BOUND));
    }

    private TransferServer serve(ConnectionLimits limits, TransferLimits transfers, PeerBans bans, SealedBytes sealed)
            throws IOException {
        SharedContent content = shared;
        // One count of drops for the links and the server, as a node wires them: a handshake's timeout is the server's.
        LinkSecurity.Encrypted links = LinkSecurity.ephemeral().withSealed(sealed);
        TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> id.equals(content.manifest().contentId()) ? Optional.of(content) : Optional.empty(), group,
                transfers, links, limits, links.drops(), bans);
        servers.add(server);
        return server;
    }

    private RawPeer connect(String source, TransferServer server) throws IOException {
        RawPeer peer = RawPeer.connect(source, server.localAddress());
        peers.add(peer);
        return peer;
    }

    /**
     * Connects from {@code source} and waits for the server to close the connection at once: a reset may even come
     * before {@code connect} returns.
     */
    private void assertRefused(String source, TransferServer server) throws IOException {
        RawPeer peer;
        try {
            peer = connect(source, server);
        } catch (SocketException reset) {
            return;
        }
        await().atMost(WAIT).until(() -> peer.closedByServer(100));
    }

    /** Once {@code leaving} closes, leaving {@code open}, a new connection from {@code source} is served, not counted. */
    private void assertAFreedPlaceIsTakenAgain(TransferServer server, RawPeer leaving, int open, String source,
            ConnectionDrop cap) throws IOException {
        long refused = server.drops().count(cap);
        leaving.close();
        await().atMost(WAIT).until(() -> server.openConnections() == open);
        join(connect(source, server));
        assertEquals(refused, server.drops().count(cap));
    }

    private Message.Hello hello() {
        return new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId());
    }

    /** Says HELLO and reads the server's HELLO and BITFIELD. */
    private void join(RawPeer peer) throws IOException {
        peer.send(hello());
        assertInstanceOf(Message.Hello.class, peer.read(10_000));
        assertInstanceOf(Message.Bitfield.class, peer.read(10_000));
    }

    @Test
    void aPeerTheNodeBannedIsServedNothingAndCounted() throws IOException {
        PeerBans bans = new PeerBans();
        TransferServer server = serve(ConnectionLimits.defaults(), bans);
        RawPeer cheat = connect("127.0.0.2", server);
        bans.ban(cheat.nodeId(), cheat.localAddress()); // what a download of the node does on a bad chunk
        cheat.send(hello());
        await().atMost(WAIT).until(() -> cheat.closedByServer(100));
        assertEquals(1, server.drops().count(ConnectionDrop.BANNED));

        join(connect("127.0.0.3", server)); // another node is served as before
        assertEquals(1, server.drops().count(ConnectionDrop.BANNED));
    }

    @Test
    void connectionsBeyondTheTotalCapAreClosedOnAcceptAndCounted() throws IOException {
        TransferServer server = serve(ConnectionLimits.defaults().withMaxConnections(3).withMaxConnectionsPerIp(10));
        List<RawPeer> admitted = List.of(connect("127.0.0.2", server), connect("127.0.0.3", server),
                connect("127.0.0.4", server));
        await().atMost(WAIT).until(() -> server.openConnections() == 3);

        assertRefused("127.0.0.5", server);

        assertEquals(1, server.drops().count(ConnectionDrop.TOTAL_CAP));
        assertEquals(3, server.openConnections());
        for (RawPeer peer : admitted) {
            join(peer);
        }
        assertAFreedPlaceIsTakenAgain(server, admitted.get(0), 2, "127.0.0.5", ConnectionDrop.TOTAL_CAP);
    }

    @Test
    void connectionsBeyondTheCapPerAddressAreClosedOnAcceptAndCounted() throws IOException {
        TransferServer server = serve(ConnectionLimits.defaults().withMaxConnectionsPerIp(2));
        RawPeer first = connect("127.0.0.2", server);
        RawPeer second = connect("127.0.0.2", server);
        await().atMost(WAIT).until(() -> server.openConnections() == 2);

        assertRefused("127.0.0.2", server);
        RawPeer other = connect("127.0.0.3", server);

        assertEquals(1, server.drops().count(ConnectionDrop.IP_CAP));
        join(first);
        join(second);
        join(other);
        assertAFreedPlaceIsTakenAgain(server, first, 2, "127.0.0.2", ConnectionDrop.IP_CAP);
    }

    /**
     * An address refused at its cap as often as the flood-ban policy says is banned in the kernel: its next SYN goes
     * unanswered, another address still connects, and once the ban's term is over the address is answered again.
     */
    @Test
    void anAddressRefusedAgainAndAgainGoesUnansweredUntilItsBanEnds() throws Exception {
        assumeTrue(Transport.of(group) == Transport.EPOLL, "no native epoll here: the kernel filter is Linux's");
        FloodBan policy = new FloodBan(8, Duration.ofSeconds(30), Duration.ofSeconds(1));
        TransferServer server = serve(ConnectionLimits.defaults().withMaxConnectionsPerIp(1).withFloodBan(policy));
        List<Socket> sockets = new ArrayList<>();
        try {
            assertEquals(Answer.CONNECTED, attempt("127.0.0.2", server, 10_000, sockets)); // the address's one place
            await().atMost(WAIT).until(() -> server.openConnections() == 1);
            for (int i = 0; i < policy.refusals(); i++) {
                // The kernel's handshake, then the server's reset, which may land before connect() returns.
                assertTrue(attempt("127.0.0.2", server, 10_000, sockets) != Answer.NONE, "refusal " + i);
            }
            await().atMost(WAIT).until(() -> server.drops().count(ConnectionDrop.FLOOD_BANNED) == 1);
            assertEquals(policy.refusals(), server.drops().count(ConnectionDrop.IP_CAP));

            assertEquals(Answer.NONE, attempt("127.0.0.2", server, NO_ANSWER_MILLIS, sockets));
            assertEquals(Answer.CONNECTED, attempt("127.0.0.3", server, 10_000, sockets));
            await().atMost(WAIT).until(() -> attempt("127.0.0.2", server, NO_ANSWER_MILLIS, sockets) != Answer.NONE);
            assertEquals(1, server.drops().count(ConnectionDrop.FLOOD_BANNED));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** What a connection attempt met: a connection, the server's reset, or no answer at all (its SYN dropped). */
    private enum Answer { CONNECTED, RESET, NONE }

    /** One attempt from {@code source}; a connection made is kept in {@code keep}, to close at the end. */
    private static Answer attempt(String source, TransferServer server, int timeoutMillis, List<Socket> keep)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(server.localAddress(), timeoutMillis);
            keep.add(socket);
            return Answer.CONNECTED;
        } catch (SocketTimeoutException dropped) {
            socket.close();
            return Answer.NONE;
        } catch (SocketException reset) {
            socket.close();
            return Answer.RESET;
        }
    }

    @Test
    void helloBeyondTheCapPerContentIsToldGoodbyeAndCounted() throws IOException {
        TransferServer server = serve(ConnectionLimits.defaults().withMaxConnectionsPerContent(2));
        RawPeer first = connect("127.0.0.2", server);
        join(first);
        join(connect("127.0.0.3", server));

        RawPeer third = connect("127.0.0.4", server);
        third.send(hello());

        Message answer = third.read(10_000);
        assertInstanceOf(Message.Goodbye.class, answer);
        assertTrue(((Message.Goodbye) answer).reason().contains("too many connections"), answer.toString());
        await().atMost(WAIT).until(() -> third.closedByServer(100));
        assertEquals(1, server.drops().count(ConnectionDrop.CONTENT_CAP));
        assertAFreedPlaceIsTakenAgain(server, first, 1, "127.0.0.4", ConnectionDrop.CONTENT_CAP);
    }

    @Test
    void aConnectionWithoutHelloInTimeIsClosedAndCounted() throws IOException {
        TransferServer server = serve(ConnectionLimits.defaults()
                .withTimeouts(Duration.ofMillis(300), Duration.ofMinutes(2)));
        RawPeer silent = connect("127.0.0.2", server);
        RawPeer talker = connect("127.0.0.3", server);
        join(talker);

        await().atMost(WAIT).until(() -> silent.closedByServer(100));
        assertEquals(1, server.drops().count(ConnectionDrop.HELLO_TIMEOUT));
        assertFalse(talker.closedByServer(1_000), "a HELLO in time ends the deadline");
        assertEquals(1, server.openConnections());
    }

    @Test
    void aConnectionIdleBothWaysIsClosedAndCounted() throws IOException {
        TransferServer server = serve(ConnectionLimits.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500)));
        RawPeer idle = connect("127.0.0.2", server);
        join(idle);

        await().atMost(WAIT).until(() -> idle.closedByServer(100));
        assertEquals(1, server.drops().count(ConnectionDrop.IDLE));
        assertEquals(0, server.drops().count(ConnectionDrop.HELLO_TIMEOUT));
    }

    @Test
    void aConnectionThatKeepsTalkingIsNotIdle() throws IOException {
        TransferServer server = serve(ConnectionLimits.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500)));
        RawPeer chatty = connect("127.0.0.2", server);
        join(chatty);
        // Three idle periods' worth of HAVEs, one every 100 ms (a server ignores a downloader's HAVEs).
        for (int i = 0; i < 15; i++) {
            chatty.send(new Message.Have(0));
            assertFalse(chatty.closedByServer(100));
        }
        assertEquals(0, server.drops().count(ConnectionDrop.IDLE));
    }

    /**
     * The target: HELLO, then 100,000 manifest requests, never reading. The server must keep at most 4 MiB
     * queued for it (its outbound buffer plus what it kept back) and close it within 10 s, counted. The manifest is
     * 256 KiB (8,192 chunks), so 100,000 answers would be 25 GiB; the client's receive buffer is small so that the
     * kernel takes little of it.
     */
    @Test
    void aPeerAskingForTheManifestWithoutReadingIsClosedWithinItsBudget() throws Exception {
        manifest = shareOf(8 << 20, 1 << 10, 2);
        assertTrue(manifest.canonicalLength() >= 256 << 10);
        TransferServer server = serve(ConnectionLimits.defaults());
        RawPeer flooder = RawPeer.connect("127.0.0.2", server.localAddress(), 64 << 10);
        peers.add(flooder);
        flooder.send(hello());
        byte[] request = flooder.frame(new Message.ManifestRequest());
        byte[] burst = new byte[request.length * 1_000];
        for (int i = 0; i < 1_000; i++) {
            System.arraycopy(request, 0, burst, i * request.length, request.length);
        }
        Thread asking = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    flooder.sendRaw(burst);
                }
            } catch (IOException closed) {
                // The server closed it: the point.
            }
        }, "asking");
        asking.setDaemon(true);
        long start = System.nanoTime();
        asking.start();

        long[] peak = {0};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
            peak[0] = Math.max(peak[0], server.queuedOutboundBytes());
            return server.drops().count(ConnectionDrop.OUTBOUND_BUDGET) == 1 && server.openConnections() == 0;
        });
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(peak[0] <= 4L << 20, "queued at most 4 MiB, saw " + peak[0]);
        assertTrue(flooder.closedByServer(1_000), "closed after " + tookMillis + " ms");
        asking.join(10_000);
    }

    /**
     * Peers that ask for chunks and do not read (a small receive window, never drained) must not make the server hold
     * their chunks sealed in memory: 24 of them, all unchoked at once, each asking for every chunk of 4 MiB. Sealed
     * whole as it was written, each one's chunk or two stayed in direct memory: 190 MB for the 24, and a few dozen
     * such peers filled a daemon's direct memory. Sealed only as the socket takes records, each holds a few records.
     */
    @Test
    void peersThatDoNotReadHoldNoChunksSealedInMemory() throws Exception {
        manifest = shareOf(32 << 20, 4 << 20, 5);
        TransferServer server = serve(ConnectionLimits.defaults(), allUnchoked(), new PeerBans(),
                new SealedBytes(SealedBytes.DEFAULT_BOUND));
        long peak = peakWhileEveryoneIsHandedAChunk(server, 24);
        assertTrue(peak < 24L << 20, "sealed records held for 24 peers that do not read: " + peak);
    }

    /**
     * The same 24 peers against a server whose links may seal only 1 MiB ahead in all: they hold that room, which is
     * all the server then holds for them, and an honest download from it still completes, a record at a time.
     */
    @Test
    void peersThatDoNotReadHoldAtMostTheRoomForSealingAndStopNoOne() throws Exception {
        manifest = shareOf(32 << 20, 4 << 20, 6);
        SealedBytes sealed = new SealedBytes(1 << 20);
        TransferServer server = serve(ConnectionLimits.defaults(), allUnchoked(), new PeerBans(), sealed);
        long peak = peakWhileEveryoneIsHandedAChunk(server, 24);
        assertTrue(sealed.bound() - sealed.held() < RecordLayer.sealedSize(RecordLayer.MAX_PLAINTEXT),
                "the peers that do not read hold all the room: " + sealed.held());
        long firstRecords = 24L * 96 << 10; // one record each, in the pool's 96 KiB size class
        assertTrue(peak < sealed.bound() + firstRecords + (2 << 20), "held for 24 peers that do not read: " + peak);

        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()),
                dir.resolve("out"), group, DownloadOptions.defaults());
        Path result = download.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(Files.readAllBytes(shared.file()), Files.readAllBytes(result));
    }

    /**
     * While peers that do not read hold all the room, connections that ask for a chunk and close at once (each seals
     * its free record, is refused room and waits) must not stay behind as waiters: each kept its link, channel and
     * buffers alive and would take a wake-up from a live link once room came back.
     */
    @Test
    void linksThatCloseWhileWaitingForRoomAreNoLongerWaiting() throws Exception {
        manifest = shareOf(32 << 20, 4 << 20, 7);
        SealedBytes sealed = new SealedBytes(1 << 20);
        TransferServer server = serve(ConnectionLimits.defaults(), allUnchoked(), new PeerBans(), sealed);
        peakWhileEveryoneIsHandedAChunk(server, 24);
        int holders = sealed.waiting();
        assertTrue(holders <= 24, holders + " waiting");
        for (int i = 0; i < 20; i++) {
            try (RawPeer passing = RawPeer.connect("127.0.0.30", server.localAddress(), 16 << 10)) {
                passing.send(hello());
                passing.send(new Message.Request(i % manifest.chunkCount()));
                int before = i;
                await().atMost(WAIT).until(() -> server.uploads().peers(manifest.contentId()).size() > 24 + before);
            }
        }
        await().atMost(WAIT).until(() -> server.openConnections() == 24);
        assertTrue(sealed.waiting() <= holders, sealed.waiting() + " waiting, " + holders + " before the 20 came and went");
    }

    /**
     * A chunk of a directory share of small files spans hundreds of them, and a peer that does not read keeps every
     * chunk it asked for queued on its connection: no file may be open for a chunk until its turn to be sent comes.
     * Opened when handed out, 4 such peers held 7,263 of them open (a process may have a few thousand to twenty
     * thousand).
     */
    @Test
    void peersThatDoNotReadHoldNoFilesOpenForTheChunksTheyQueue() throws Exception {
        Path root = Files.createDirectories(dir.resolve("small-files"));
        Random random = new Random(8);
        for (int i = 0; i < 4_000; i++) {
            byte[] data = new byte[2 << 10];
            random.nextBytes(data);
            Files.write(root.resolve(String.format("f%04d.bin", i)), data);
        }
        manifest = Manifest.ofDirectory(root, "small", 64 << 10); // 32 files a chunk
        shared = new SharedContent(manifest, root);
        TransferServer server = serve(ConnectionLimits.defaults(), allUnchoked(), new PeerBans(),
                new SealedBytes(SealedBytes.DEFAULT_BOUND));
        int count = 4;
        connectPeersThatDoNotRead(server, count);
        // handed more than the socket buffers take: the rest waits on the connections, up to their water marks
        long most = mostUntil(() -> openFilesUnder(root), () -> server.uploads().peers(manifest.contentId()).stream()
                .filter(p -> p.bytesUploaded() >= 3 << 20).count() == count);
        // each connection reads one span at a time: its file, and again around the page cache
        assertTrue(most <= 2 * count, "files of the share open for " + count + " peers that do not read: " + most);
    }

    /** How many of this process's file descriptors are open on files under {@code root}. */
    private static long openFilesUnder(Path root) throws IOException {
        long open = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(root)) {
                        open++;
                    }
                } catch (IOException closed) {
                    // closed since it was listed (the listing's own descriptor among them)
                }
            }
        }
        return open;
    }

    /** Upload slots for everyone, for longer than a test: every peer that asks is served at once. */
    private static TransferLimits allUnchoked() {
        return TransferLimits.defaults().withUploadSlots(64, Duration.ofMinutes(5));
    }

    /**
     * Connects {@code count} peers that say HELLO, ask for every chunk and never read (four from each of 127.0.0.2,
     * 127.0.0.3 ...), and returns the most direct memory the transfer allocator had in use beyond what it had before,
     * sampled until each was handed a chunk (counted as uploaded when handed) and for half a second more.
     */
    private long peakWhileEveryoneIsHandedAChunk(TransferServer server, int count) throws IOException {
        PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        long before = allocator.pinnedDirectMemory();
        connectPeersThatDoNotRead(server, count);
        return mostUntil(() -> allocator.pinnedDirectMemory() - before, () -> server.uploads()
                .peers(manifest.contentId()).stream().filter(p -> p.bytesUploaded() >= manifest.chunkLength(0))
                .count() == count);
    }

    /** Connects {@code count} peers, four from each of 127.0.0.2, 127.0.0.3 ..., that ask for every chunk and never read. */
    private void connectPeersThatDoNotRead(TransferServer server, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            RawPeer peer = RawPeer.connect("127.0.0." + (2 + i / 4), server.localAddress(), 16 << 10);
            peers.add(peer);
            peer.send(hello());
            for (int c = 0; c < manifest.chunkCount(); c++) {
                peer.send(new Message.Request(c));
            }
        }
    }

    /** The most {@code reading} gave, sampled until {@code done} holds and for half a second more. */
    private static long mostUntil(Callable<Long> reading, Callable<Boolean> done) {
        long[] most = {0};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
            most[0] = Math.max(most[0], reading.call());
            return done.call();
        });
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    most[0] = Math.max(most[0], reading.call());
                    return true;
                });
        return most[0];
    }

    @Test
    void anHonestDownloaderIsServedFullyWithinTheBudget() throws Exception {
        manifest = shareOf(8 << 20, 16 << 10, 3);
        TransferServer server = serve(ConnectionLimits.defaults().withOutboundBudget(64 << 10));
        Path out = dir.resolve("out");

        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()), out, group,
                DownloadOptions.defaults());
        Path result = download.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertArrayEquals(Files.readAllBytes(shared.file()), Files.readAllBytes(result));
        assertEquals(0, server.drops().count(ConnectionDrop.OUTBOUND_BUDGET));
    }

    /**
     * The flood target, scaled only in what is asserted: 10,000 connection attempts from one address leave at
     * most the cap per address open, and an honest get of a 64 MiB share during the flood completes (how much slower,
     * {@code bench.FloodBenchmark} prints: speed is no unit test's business). With epoll the flooder is banned in the
     * kernel once refused as often as the flood-ban policy says, and the rest of its attempts go unanswered.
     */
    @Test
    void aConnectionFloodFromOneAddressHoldsAtMostItsCapWhileAnHonestGetCompletes() throws Exception {
        manifest = shareOf(64 << 20, Manifest.DEFAULT_CHUNK_SIZE, 4);
        // The flood's held connections never finish the link handshake: its 10 s deadline frees their places on a
        // slow machine (taken by the next attempts); a long HELLO deadline adds no other release.
        ConnectionLimits limits = ConnectionLimits.defaults().withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5));
        TransferServer server = serve(limits);
        int cap = limits.maxConnectionsPerIp();
        Path out = dir.resolve("out");
        int[] peakOpen = {0};
        try (ConnectionFlood flood = new ConnectionFlood("127.0.0.2", server.localAddress(), 10_000)) {
            await().atMost(WAIT).until(() -> flood.attempts() >= 100);
            NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()), out,
                    group, DownloadOptions.defaults());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5)).until(() -> {
                peakOpen[0] = Math.max(peakOpen[0], server.openConnections());
                return flood.done() && download.completion().isDone();
            });
            assertArrayEquals(Files.readAllBytes(shared.file()),
                    Files.readAllBytes(download.completion().get(1, TimeUnit.SECONDS)));
            assertEquals(10_000, flood.attempts());
            assertTrue(peakOpen[0] <= cap + 1, "the flood's cap and the downloader, saw " + peakOpen[0]);
            long refused = server.drops().count(ConnectionDrop.IP_CAP);
            assertTrue(refused >= limits.floodBan().refusals(), refused + " refused at the cap");
            if (Transport.of(group) == Transport.EPOLL) {
                assertEquals(1, server.drops().count(ConnectionDrop.FLOOD_BANNED));
                // After the ban only what the accept queue already held (at most its backlog) still reaches the gate.
                int reachable = limits.floodBan().refusals() + NetUtil.SOMAXCONN + cap;
                assertTrue(refused <= reachable, refused + " refused: the ban stops the rest of the flood in the kernel");
            }
        }
    }
}
