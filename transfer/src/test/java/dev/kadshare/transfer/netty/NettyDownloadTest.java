package dev.kadshare.transfer.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.MonotonicClock;
import dev.kadshare.net.Transport;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.Hostile;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.ServingOnly;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.download.DownloadProgress;
import dev.kadshare.transfer.download.DownloadState;
import dev.kadshare.transfer.download.PeerProgress;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.LastStop;
import dev.kadshare.transfer.store.StoreChunks;
import dev.kadshare.transfer.wire.Message;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Netty adapter end to end over real sockets on 127.0.0.1, against real servers and hostile fakes: what matters
 * at the socket level (frames, floods, peers that stall, vanish or lie, rate limits through {@code setAutoRead},
 * serving a download in progress, resuming and letting go of the files). What the download decides is
 * {@code DownloadTest}'s, in virtual time.
 */
class NettyDownloadTest {
    private static final int CHUNK = 64 * 1024; // small chunks so several peers share the work
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * The idle timeout of the tests of stalling peers. It runs from the dial, so a good peer's link handshake must
     * fit in it too: 300 ms did not on a loaded machine (the good peer was closed, never redialled, and the
     * download sat with the staller alone); 2 s does, and keeps those tests at a few seconds.
     */
    private static final Duration STALL = Duration.ofSeconds(2);
    static EventLoopGroup group;
    /** What every download here starts from: the defaults (hashing inline on the loop) unless a subclass says. */
    static DownloadOptions base;

    @TempDir
    Path dir;
    private final List<TransferServer> servers = new ArrayList<>();
    private final List<Channel> stallers = new ArrayList<>();

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        base = DownloadOptions.defaults();
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeServers() {
        servers.forEach(TransferServer::close);
        stallers.forEach(ch -> ch.close().awaitUninterruptibly());
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private Path write(String name, byte[] data) throws IOException {
        return Files.write(Files.createDirectories(dir.resolve("shared")).resolve(name), data);
    }

    /** A server that answers for exactly these manifests, each served from its file. */
    private InetSocketAddress serve(Map<ContentId, SharedContent> content) throws IOException {
        return serve(id -> Optional.ofNullable(content.get(id)));
    }

    private InetSocketAddress serve(ContentSource source) throws IOException {
        TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0), source, group);
        servers.add(server);
        return server.localAddress();
    }

    private InetSocketAddress serve(Manifest manifest, Path file) throws IOException {
        return serve(Map.of(manifest.contentId(), new SharedContent(manifest, file)));
    }

    /** A server of {@code manifest} from shared/{@code name}, at most {@code bytesPerSecond}. */
    private InetSocketAddress slowSeeder(Manifest manifest, String name, long bytesPerSecond) throws IOException {
        TransferServer seeder = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> Optional.of(new SharedContent(manifest, dir.resolve("shared").resolve(name))), group,
                TransferLimits.defaults().withNodeUploadRate(bytesPerSecond));
        servers.add(seeder);
        return seeder.localAddress();
    }

    private static Path finished(NettyDownload download) throws Exception {
        return download.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void downloadsFromTwoServersIdentically() throws Exception {
        byte[] data = randomBytes(3 * 1024 * 1024 + 12_345, 1); // odd last chunk
        Path file = write("data.bin", data);
        Manifest manifest = Manifest.ofFile(file, "data.bin", CHUNK);
        // Each at most 2 MiB/s, so neither alone is done before the other has connected, however loaded the machine.
        InetSocketAddress a = slowSeeder(manifest, "data.bin", 2 << 20);
        InetSocketAddress b = slowSeeder(manifest, "data.bin", 2 << 20);
        Path out = dir.resolve("out");

        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(a, b), out, group, base);
        Path result = finished(download);

        assertEquals(out.resolve("data.bin"), result);
        assertArrayEquals(data, Files.readAllBytes(result));
        assertFalse(Files.exists(ChunkStore.partFileFor(out, "data.bin")));
        DownloadProgress progress = download.progress();
        assertEquals(Optional.of(manifest), progress.manifest());
        assertEquals(manifest.chunkCount(), progress.chunksVerified());
        assertEquals(manifest.chunkCount(), progress.chunksTotal());
        assertEquals(data.length, progress.bytesDownloaded());
        assertEquals(2, progress.peers().size());
        for (PeerProgress peer : progress.peers()) {
            assertTrue(peer.bytesDownloaded() > 0, "both peers served chunks: " + peer);
            assertEquals(0, peer.badChunks());
            assertFalse(peer.dropped());
        }
    }

    @Test
    void corruptPeerIsDroppedAndItsBytesNeverReachTheFile() throws Exception {
        byte[] data = randomBytes(2 * 1024 * 1024 + 777, 2);
        Path goodFile = write("good.bin", data);
        Manifest manifest = Manifest.ofFile(goodFile, "movie.bin", CHUNK);
        // Corrupted after hashing: every chunk of this copy differs in one byte.
        byte[] corrupt = data.clone();
        for (int i = 0; i < manifest.chunkCount(); i++) {
            corrupt[(int) manifest.chunkOffset(i)] ^= 0x5A;
        }
        Path badFile = write("bad.bin", corrupt);
        InetSocketAddress bad = serve(manifest, badFile);
        InetSocketAddress good = serve(manifest, goodFile);

        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(bad, good), dir.resolve("out"),
                group, base);
        Path result = finished(download);

        assertArrayEquals(data, Files.readAllBytes(result));
        PeerProgress badPeer = peer(download.progress(), bad);
        assertTrue(badPeer.dropped(), badPeer.toString());
        assertTrue(badPeer.badChunks() > 0, badPeer.toString());
        PeerProgress goodPeer = peer(download.progress(), good);
        assertFalse(goodPeer.dropped());
        assertEquals(0, goodPeer.badChunks());
    }

    @Test
    void manifestThatDoesNotHashToTheIdIsNotTrusted() throws Exception {
        byte[] data = randomBytes(300_000, 3);
        Path file = write("real.bin", data);
        Manifest manifest = Manifest.ofFile(file, "real.bin", CHUNK);
        Manifest other = Manifest.ofFile(file, "other.bin", CHUNK);
        // The liar claims the id but hands out a different manifest.
        InetSocketAddress liar = serve(Map.of(manifest.contentId(), new SharedContent(other, file)));

        NettyDownload onlyLiar = NettyDownload.start(manifest.contentId(), List.of(liar), dir.resolve("out1"),
                group, base);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> finished(onlyLiar));
        assertTrue(failure.getCause().getMessage().contains("no peer provided a manifest"),
                failure.getCause().getMessage());
        assertTrue(peer(onlyLiar.progress(), liar).dropped());

        InetSocketAddress honest = serve(manifest, file);
        NettyDownload both = NettyDownload.start(manifest.contentId(), List.of(liar, honest), dir.resolve("out2"),
                group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(both)));
    }

    @Test
    void failsClearlyWhenNoPeerHasTheContent() throws Exception {
        InetSocketAddress server = serve(Map.of());
        ContentId unknown = ContentId.of(Sha256.of(new byte[] {1}));
        NettyDownload download = NettyDownload.start(unknown, List.of(server), dir.resolve("out"), group, base);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> finished(download));
        assertInstanceOf(IOException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains(unknown.toHex()), failure.getCause().getMessage());
    }

    /** A TCP listener that never accepts: the kernel completes connections, nobody ever answers. */
    private static ServerSocket silentPeer() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @Test
    void cancelStopsAndCleansUp() throws Exception {
        try (ServerSocket silent = silentPeer()) {
            ContentId id = ContentId.of(Sha256.of(new byte[] {2}));
            NettyDownload download = NettyDownload.start(id,
                    List.of((InetSocketAddress) silent.getLocalSocketAddress()), dir.resolve("out"), group, base);
            download.cancel();
            assertThrows(CancellationException.class, () -> finished(download));
            download.stopped().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(DownloadState.CANCELLED, download.progress().state());
        }
    }

    /** Answers HELLO (no BITFIELD) and the manifest, then nothing. */
    private InetSocketAddress stallingPeer(Manifest manifest) {
        return stallingPeer(manifest.canonicalBytes());
    }

    /** Answers HELLO (sends no BITFIELD) and serves these manifest bytes, whatever they are. */
    private InetSocketAddress stallingPeer(byte[] manifestBytes) {
        return scriptedPeer(msg -> msg instanceof Message.Hello ? List.of(msg)
                : msg instanceof Message.ManifestRequest ? List.of(new Message.ManifestData(manifestBytes))
                : List.of());
    }

    @Test
    void aPeerNamingThousandsOfPeersFillsTheListOnlyUpToItsCap() throws Exception {
        Manifest manifest = Manifest.ofFile(write("flood.bin", randomBytes(4 * CHUNK, 56)), "flood.bin", CHUNK);
        // Answers HELLO, then names 3,000 peers in PEERS messages of 50 (the most one may carry).
        InetSocketAddress flooder = scriptedPeer(msg -> {
            List<Message> answer = new ArrayList<>(List.of(msg));
            for (int batch = 0; msg instanceof Message.Hello && batch < 60; batch++) {
                List<InetSocketAddress> named = new ArrayList<>();
                for (int i = 0; i < Message.Peers.MAX; i++) {
                    named.add(new InetSocketAddress("127.0.0.1", 10_000 + batch * 50 + i));
                }
                answer.add(Message.Peers.of(named));
            }
            return msg instanceof Message.Hello ? answer : List.of();
        });
        InetSocketAddress dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            dead = (InetSocketAddress) s.getLocalSocketAddress(); // nothing listens there once closed
        }
        // One connection at a time: the dead peer's, refused, then the flooder's; none of the named is dialled.
        NettyDownload download = NettyDownload.start(manifest.contentId(),
                List.of(dead, flooder), dir.resolve("out"), group,
                base.toBuilder().maxPeers(1).build());

        // The named peers wait for the one connection, which the flooder holds; the dead peer made room for them.
        await().atMost(TIMEOUT).until(() -> download.progress().peers().stream().map(PeerProgress::address).toList()
                .equals(List.of(flooder)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> download.progress().peers().size() == 1);
        assertFalse(download.completion().isDone());
        download.cancel();
    }

    @Test
    void silentPeerIsClosedAndItsChunksGoToAnother() throws Exception {
        byte[] data = randomBytes(30 * CHUNK + 1, 6);
        Path file = write("s.bin", data);
        Manifest manifest = Manifest.ofFile(file, "s.bin", CHUNK);
        InetSocketAddress staller = holderThatNeverSends(manifest);
        // At most 512 KiB/s: the good peer needs at least 3.75 s for the whole file, well past the staller's idle
        // timeout, so the staller is closed while the download still runs, however loaded the machine.
        InetSocketAddress good = slowSeeder(manifest, "s.bin", 512 << 10);

        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(staller, good),
                dir.resolve("out"), group, base.toBuilder().idleTimeout(STALL).build());

        await().atMost(TIMEOUT).until(() -> connected(download, staller));
        await().atMost(TIMEOUT).until(() -> !connected(download, staller));
        assertFalse(download.completion().isDone(), "closed for its silence, not at the end of the download");
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        PeerProgress stalled = peer(download.progress(), staller);
        assertEquals(0, stalled.bytesDownloaded());
        assertFalse(stalled.dropped(), "slow is not banned");
        assertTrue(peer(download.progress(), good).bytesDownloaded() >= data.length, "the good peer sent it all");
    }

    private static boolean connected(NettyDownload download, InetSocketAddress address) {
        return download.progress().peers().stream().anyMatch(p -> p.address().equals(address) && p.connected());
    }

    @Test
    void aPeerThatStallsIsClosedWhenIdleNotBanned() throws Exception {
        byte[] data = randomBytes(8 * CHUNK, 7);
        Manifest manifest = Manifest.ofFile(write("idle.bin", data), "idle.bin", CHUNK);
        // Without the idle timeout it would hold the download for ever (a request timeout only asks again, and there
        // is nobody else).
        InetSocketAddress staller = holderThatNeverSends(manifest);
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(staller), dir.resolve("out"), group,
                base.toBuilder().idleTimeout(STALL).build());
        ExecutionException failure = assertThrows(ExecutionException.class, () -> finished(download));
        assertTrue(failure.getCause().getMessage().contains("no usable peer left"), failure.getCause().getMessage());
        assertFalse(peer(download.progress(), staller).dropped(), "slow is not banned");
    }

    /** Answers HELLO with a BITFIELD of every chunk and serves the manifest, then sends no chunk ever. */
    private InetSocketAddress holderThatNeverSends(Manifest manifest) {
        return scriptedPeer(msg -> msg instanceof Message.Hello
                ? List.of(msg, Message.Bitfield.of(all(manifest)))
                : msg instanceof Message.ManifestRequest ? List.of(new Message.ManifestData(manifest.canonicalBytes()))
                : List.of());
    }

    private static java.util.BitSet all(Manifest manifest) {
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, manifest.chunkCount());
        return all;
    }

    @Test
    void aPeerClaimingAnOversizedFrameIsClosedAndOthersFinish() throws Exception {
        byte[] data = randomBytes(8 * CHUNK, 8);
        Path file = write("claim.bin", data);
        Manifest manifest = Manifest.ofFile(file, "claim.bin", CHUNK);
        // After its HELLO, four bytes that claim a frame of 2 GiB: refused before a byte of it is buffered.
        InetSocketAddress claimer = fakePeer(() -> new SimpleChannelInboundHandler<Message>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
                if (msg instanceof Message.Hello) {
                    ctx.write(msg);
                    ctx.writeAndFlush(io.netty.buffer.Unpooled.buffer(5).writeInt(Integer.MAX_VALUE).writeByte(2));
                }
            }
        });
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(claimer, serve(manifest, file)),
                dir.resolve("out"), group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        assertEquals(0, peer(download.progress(), claimer).bytesDownloaded());
    }

    @Test
    void anUnrequestedChunkOverTheWireDropsItsSender() throws Exception {
        byte[] data = randomBytes(8 * CHUNK, 9);
        Path file = write("push.bin", data);
        Manifest manifest = Manifest.ofFile(file, "push.bin", CHUNK);
        // Answers each request with the chunk after the one asked for.
        InetSocketAddress pusher = scriptedPeer(msg -> msg instanceof Message.Hello
                ? List.of(msg, Message.Bitfield.of(all(manifest)))
                : msg instanceof Message.ManifestRequest ? List.of(new Message.ManifestData(manifest.canonicalBytes()))
                : msg instanceof Message.Request r ? List.of(new Message.Chunk((r.index() + 1) % 8,
                        ByteBuffer.wrap(data, ((r.index() + 1) % 8) * CHUNK, CHUNK)))
                : List.of());
        // The honest one is slow, so the pusher is surely asked before the end.
        NettyDownload download = NettyDownload.start(manifest.contentId(),
                List.of(pusher, slowSeeder(manifest, "push.bin", 512 << 10)), dir.resolve("out"), group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        assertTrue(peer(download.progress(), pusher).dropped());
    }

    @Test
    void bindingATakenPortThrowsBindException() throws Exception {
        InetSocketAddress taken = serve(Map.of());
        assertThrows(BindException.class, () -> TransferServer.start(taken, id -> Optional.empty(), group));
    }

    private static PeerProgress peer(DownloadProgress progress, InetSocketAddress address) {
        return progress.peers().stream().filter(p -> p.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void cancelKeepsProgressAndAbandonDeletesIt() throws Exception {
        byte[] data = randomBytes(8 * CHUNK, 41);
        Manifest manifest = Manifest.ofFile(write("keep.bin", data), "keep.bin", CHUNK);
        Path out = dir.resolve("out");
        NettyDownload first = NettyDownload.start(manifest.contentId(), List.of(stallingPeer(manifest)), out, group,
                base);
        await().atMost(TIMEOUT).until(() -> first.progress().manifest().isPresent());
        assertEquals(DownloadState.DOWNLOADING, first.progress().state());
        first.cancel();
        assertThrows(CancellationException.class, () -> finished(first));
        await().atMost(TIMEOUT).until(() -> first.progress().state() == DownloadState.CANCELLED);
        await().atMost(TIMEOUT).until(() -> Files.exists(ChunkStore.partFileFor(out, "keep.bin")));

        NettyDownload second = NettyDownload.start(manifest.contentId(), List.of(), out, group, base);
        await().atMost(TIMEOUT).until(() -> second.progress().manifest().isPresent());
        second.abandon();
        await().atMost(TIMEOUT).until(() -> {
            try (var listing = Files.list(out)) {
                return listing.findAny().isEmpty();
            }
        });
    }

    @Test
    void stoppedCompletesOnceTheStoreIsClosedCleanlyAfterACancelOrDeletedAfterAnAbandon() throws Exception {
        byte[] data = randomBytes(32 * CHUNK, 42);
        Manifest manifest = Manifest.ofFile(write("stop.bin", data), "stop.bin", CHUNK);
        Path out = dir.resolve("out");
        NettyDownload first = NettyDownload.start(manifest.contentId(), List.of(slowSeeder(manifest, "stop.bin",
                256 << 10)), out,
                group, base);
        await().atMost(TIMEOUT).until(() -> first.progress().chunksVerified() >= 2);
        first.cancel();
        first.stopped().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // Once stopped, the sidecar says the marks are proof: a resume right now trusts them, no recheck.
        try (ChunkStore left = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, left.lastStop());
            assertTrue(left.verifiedCount() >= 2, "the progress is kept: " + left.verifiedCount());
        }

        NettyDownload second = NettyDownload.start(manifest.contentId(), List.of(), out, group, base);
        await().atMost(TIMEOUT).until(() -> second.progress().manifest().isPresent());
        second.abandon();
        second.stopped().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try (var listing = Files.list(out)) {
            assertEquals(List.of(), listing.toList(), "abandoned: partial file and sidecar gone once stopped");
        }

        NettyDownload third = NettyDownload.start(manifest.contentId(), List.of(), dir.resolve("none"), group, base);
        assertThrows(java.util.concurrent.ExecutionException.class, () -> finished(third));
        third.stopped().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS); // no store ever: stopped with the failure
    }

    @Test
    void aDownloaderServesWhatItHoldsToAnotherDownloader() throws Exception {
        byte[] data = randomBytes(40 * CHUNK + 5, 46);
        Manifest manifest = Manifest.ofFile(write("relay.bin", data), "relay.bin", CHUNK);
        // Slow, so A is still downloading while B fetches from it.
        InetSocketAddress seeder = slowSeeder(manifest, "relay.bin", 2 << 20);
        Path outA = dir.resolve("a");
        NettyDownload a = NettyDownload.start(manifest.contentId(), List.of(seeder), outA, group, base);
        // A's node serves A's partial download, and the finished file once A is done.
        TransferServer relay = TransferServer.start(new InetSocketAddress("127.0.0.1", 0), new ContentSource() {
            @Override
            public Optional<SharedContent> find(ContentId id) {
                return a.completion().isDone() && !a.completion().isCompletedExceptionally()
                        ? Optional.of(new SharedContent(manifest, a.completion().join())) : Optional.empty();
            }

            @Override
            public Optional<ServedContent> serve(ContentId id) {
                return a.served().or(() -> find(id).map(ServedContent::complete));
            }
        }, group);
        servers.add(relay);
        await().atMost(TIMEOUT).until(() -> a.progress().chunksVerified() > 0);
        assertTrue(a.served().isPresent(), "served from the manifest on");
        // B may also ask the seeder: a session that reads a chunk of A's just as A moves its file into place loses
        // its connection, and B must not fail for that.
        NettyDownload b = NettyDownload.start(manifest.contentId(), List.of(relay.localAddress(), seeder),
                dir.resolve("b"), group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(b)));
        assertArrayEquals(data, Files.readAllBytes(finished(a)));
        assertTrue(peer(b.progress(), relay.localAddress()).bytesDownloaded() > 0, "b fetched from a");
    }


    @Test
    void aSessionServingAPartialDownloadGoesOnServingItOnceTheFileIsMovedIntoPlace() throws Exception {
        byte[] data = randomBytes(16 * CHUNK, 52);
        Manifest manifest = Manifest.ofFile(write("moved.bin", data), "moved.bin", CHUNK);
        // A slow seeder, so the partial download is there to be seen for a while.
        InetSocketAddress seeder = slowSeeder(manifest, "moved.bin", 2 << 20);
        NettyDownload a = NettyDownload.start(manifest.contentId(), List.of(seeder), dir.resolve("a"), group, base);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> a.served().isPresent());
        // What a session that began during a's download holds: a's partial content, whose file a then renames.
        ServedContent partial = a.served().orElseThrow();
        finished(a);
        InetSocketAddress relay = serve(ServingOnly.of(partial));
        NettyDownload b = NettyDownload.start(manifest.contentId(), List.of(relay), dir.resolve("b"), group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(b)), "served from where the file went");
    }

    @Test
    void aDownloadersServerSendsNoHaveToAPeerItsDownloadHeardHoldsTheChunk() throws Exception {
        byte[] data = randomBytes(24 * CHUNK, 55);
        Manifest manifest = Manifest.ofFile(write("held.bin", data), "held.bin", CHUNK);
        LinkSecurity seederLinks = LinkSecurity.ephemeral();
        TransferServer seeder = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> Optional.of(new SharedContent(manifest, dir.resolve("shared").resolve("held.bin"))), group,
                TransferLimits.defaults().withNodeUploadRate(512 << 10), seederLinks);
        servers.add(seeder);
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(seeder.localAddress()),
                dir.resolve("out"), group, base);
        // The downloader's node serves its partial download; the seeder's BITFIELD came before the manifest.
        InetSocketAddress relay = serve(new ServingOnly(download::served));
        await().atMost(TIMEOUT).until(() -> download.served().isPresent());
        // Two peers download from the downloader: the seeder's node (known to hold everything), and one without an id.
        List<Message> toSeeder = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Message> toAnonymous = java.util.Collections.synchronizedList(new ArrayList<>());
        // the seeder's node proves its identity on its link; the other is a node the download never heard of
        Channel seederAsker = asker(relay, seederLinks, manifest.contentId(), toSeeder);
        asker(relay, LinkSecurity.ephemeral(), manifest.contentId(), toAnonymous);
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        // The peer without an id hears of every chunk: in its BITFIELD, or by a HAVE once verified.
        await().atMost(TIMEOUT).until(() -> heardOf(toAnonymous).cardinality() == manifest.chunkCount());
        assertTrue(toAnonymous.stream().anyMatch(m -> m instanceof Message.Have), "chunks came after it joined");
        // A reply to the seeder's node comes after any HAVE sent to it before: then none was.
        seederAsker.writeAndFlush(new Message.ManifestRequest());
        await().atMost(TIMEOUT).until(() -> toSeeder.stream().anyMatch(m -> m instanceof Message.ManifestData));
        assertFalse(toSeeder.stream().anyMatch(m -> m instanceof Message.Have), "no HAVE for what it holds: " + toSeeder);
    }

    /** The chunks a server told of: its BITFIELD and its HAVEs. */
    private static java.util.BitSet heardOf(List<Message> told) {
        java.util.BitSet heard = new java.util.BitSet();
        synchronized (told) {
            for (Message m : told) {
                if (m instanceof Message.Bitfield bitfield) {
                    heard.or(bitfield.toBitSet());
                } else if (m instanceof Message.Have have) {
                    heard.set(have.index());
                }
            }
        }
        return heard;
    }

    /**
     * A peer that connects to {@code server} with the identity of {@code links}, says HELLO for {@code id} once its
     * link is up, and records what it hears.
     */
    private Channel asker(InetSocketAddress server, LinkSecurity links, ContentId id, List<Message> heard) {
        Channel ch = new io.netty.bootstrap.Bootstrap().group(group).channel(Transport.of(group).socketChannel())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LinkPipeline.install(ch.pipeline(), links, Optional.of(server));
                        WirePipeline.install(ch.pipeline());
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<Message>() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(new Message.Hello(dev.kadshare.transfer.wire.FrameCodec.PROTOCOL_VERSION, id));
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
                                heard.add(msg);
                            }
                        });
                    }
                })
                .connect(server).syncUninterruptibly().channel();
        stallers.add(ch);
        return ch;
    }

    @Test
    void aServerTellsEachDownloaderWhereTheOtherDownloadersServe() throws Exception {
        byte[] data = randomBytes(32 * CHUNK, 53);
        Manifest manifest = Manifest.ofFile(write("pex.bin", data), "pex.bin", CHUNK);
        InetSocketAddress seeder = slowSeeder(manifest, "pex.bin", 2 << 20);
        // A's node serves A's partial download on the relay's port, which A names in its HELLO.
        java.util.concurrent.atomic.AtomicReference<NettyDownload> a =
                new java.util.concurrent.atomic.AtomicReference<>();
        InetSocketAddress relay =
                serve(new ServingOnly(() -> Optional.ofNullable(a.get()).flatMap(NettyDownload::served)));
        a.set(NettyDownload.start(manifest.contentId(), List.of(seeder), dir.resolve("a"), group,
                base.toBuilder().listenPort(relay.getPort()).build()));
        NettyDownload b = NettyDownload.start(manifest.contentId(), List.of(seeder), dir.resolve("b"), group, base);
        await().atMost(TIMEOUT).until(() -> b.progress().peers().stream().anyMatch(p -> p.address().equals(relay)));
        assertArrayEquals(data, Files.readAllBytes(finished(b)));
        assertArrayEquals(data, Files.readAllBytes(finished(a.get())));
    }

    @Test
    void aPeerThatSaidGoodbyeIsDialledAgainLater() throws Exception {
        byte[] data = randomBytes(32 * CHUNK, 54);
        Manifest manifest = Manifest.ofFile(write("later.bin", data), "later.bin", CHUNK);
        InetSocketAddress seeder = slowSeeder(manifest, "later.bin", 512 << 10);
        // A downloader not serving the content yet: GOODBYE to its first caller, served after.
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        InetSocketAddress late = serve(id -> asked.getAndIncrement() == 0 ? Optional.empty()
                : Optional.of(new SharedContent(manifest, dir.resolve("shared/later.bin"))));
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(seeder, late),
                dir.resolve("out"), group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        assertEquals(2, asked.get(), "dialled once more after the GOODBYE");
        assertTrue(peer(download.progress(), late).bytesDownloaded() > 0, "and then used");
    }

    @Test
    void aPeerThatDisappearsMidTransferIsNotBannedAndOthersFinish() throws Exception {
        byte[] data = randomBytes(30 * CHUNK, 47);
        Manifest manifest = Manifest.ofFile(write("gone.bin", data), "gone.bin", CHUNK);
        InetSocketAddress vanishing = vanishingPeer(manifest, data, 3);
        InetSocketAddress good = serve(manifest, dir.resolve("shared/gone.bin"));
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(vanishing, good), dir.resolve("out"),
                group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        assertFalse(peer(download.progress(), vanishing).dropped(), "disconnecting is not misbehaviour");
    }

    /** Serves the manifest and {@code chunks} chunks correctly, then closes the connection. */
    private InetSocketAddress vanishingPeer(Manifest manifest, byte[] data, int chunks) {
        return fakePeer(() -> new SimpleChannelInboundHandler<Message>() {
            int served;

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
                if (msg instanceof Message.Hello) {
                    ctx.write(msg);
                    java.util.BitSet all = new java.util.BitSet();
                    all.set(0, manifest.chunkCount());
                    ctx.writeAndFlush(Message.Bitfield.of(all));
                } else if (msg instanceof Message.ManifestRequest) {
                    ctx.writeAndFlush(new Message.ManifestData(manifest.canonicalBytes()));
                } else if (msg instanceof Message.Request r && served++ < chunks) {
                    ctx.writeAndFlush(new Message.Chunk(r.index(), java.nio.ByteBuffer.wrap(data,
                            (int) manifest.chunkOffset(r.index()), manifest.chunkLength(r.index()))));
                } else if (msg instanceof Message.Request) {
                    ctx.close();
                }
            }
        });
    }

    @Test
    void downloadRateLimitHoldsTheTransferBack() throws Exception {
        byte[] data = randomBytes(2 << 20, 48);
        Manifest manifest = Manifest.ofFile(write("slow.bin", data), "slow.bin", CHUNK);
        InetSocketAddress seeder = serve(manifest, dir.resolve("shared/slow.bin"));
        long t0 = System.nanoTime();
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(seeder), dir.resolve("out"), group,
                base.toBuilder().rateLimits(TokenBucket.perSecond(512 << 10, MonotonicClock.INSTANCE::nanos)).build());
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        // Lower bound only (a loaded machine is slower, never faster): 2 MiB less burst and pipeline at 512 KiB/s.
        assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(2).toNanos());
    }

    @Test
    void uploadRateLimitAndUploadCounts() throws Exception {
        byte[] data = randomBytes(1 << 20, 49);
        Manifest manifest = Manifest.ofFile(write("up.bin", data), "up.bin", CHUNK);
        TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> id.equals(manifest.contentId())
                        ? Optional.of(new SharedContent(manifest, dir.resolve("shared/up.bin"))) : Optional.empty(),
                group, TransferLimits.defaults().withPerContentUploadRate(512 << 10));
        servers.add(server);
        long t0 = System.nanoTime();
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()),
                dir.resolve("out"),
                group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(download)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(1500).toNanos(), "1 MiB less burst at 512 KiB/s");
        await().atMost(TIMEOUT).until(() -> server.uploads().bytesUploaded(manifest.contentId()) >= data.length);
        assertEquals(data.length, server.uploads().bytesUploaded(manifest.contentId()));
        assertEquals(1, server.uploads().peers(manifest.contentId()).size());
    }

    @Test
    void oneUploadSlotIsSharedByRotationSoEveryDownloaderFinishes() throws Exception {
        byte[] data = randomBytes(48 * CHUNK, 50);
        Manifest manifest = Manifest.ofFile(write("slot.bin", data), "slot.bin", CHUNK);
        TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> id.equals(manifest.contentId())
                        ? Optional.of(new SharedContent(manifest, dir.resolve("shared/slot.bin"))) : Optional.empty(),
                group, TransferLimits.defaults().withPerContentUploadRate(1 << 20)
                        .withUploadSlots(1, Duration.ofMillis(200)));
        servers.add(server);
        NettyDownload first = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()),
                dir.resolve("one"),
                group, base);
        NettyDownload second = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()),
                dir.resolve("two"),
                group, base);
        assertArrayEquals(data, Files.readAllBytes(finished(first)));
        assertArrayEquals(data, Files.readAllBytes(finished(second)));
        assertFalse(first.progress().peers().get(0).dropped());
        assertFalse(second.progress().peers().get(0).dropped());
    }

    @Test
    void killMinusNineMidDownloadThenResumeFetchesOnlyWhatIsMissing() throws Exception {
        byte[] data = randomBytes(64 * CHUNK, 52);
        Manifest manifest = Manifest.ofFile(write("kill.bin", data), "kill.bin", CHUNK);
        Path shared = dir.resolve("shared/kill.bin");
        TransferServer slow = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> Optional.of(new SharedContent(manifest, shared)), group,
                TransferLimits.defaults().withPerContentUploadRate(1 << 20));
        servers.add(slow);
        Path out = dir.resolve("out");
        Path sidecar = out.resolve("." + manifest.contentId().toHex() + ".kadshare-state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DownloadProcess.class.getName(), manifest.contentId().toHex(),
                String.valueOf(slow.localAddress().getPort()), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            await().atMost(TIMEOUT).until(() -> markedChunks(sidecar, manifest) >= 10);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, nothing flushed by us
            child.waitFor(10, TimeUnit.SECONDS);
        }
        int survived = markedChunks(sidecar, manifest);
        assertTrue(survived < manifest.chunkCount(), "killed before the end");

        InetSocketAddress fast = serve(manifest, shared);
        NettyDownload resumed = NettyDownload.start(manifest.contentId(), List.of(fast), out, group, base);
        await().atMost(TIMEOUT).until(() -> resumed.progress().manifest().isPresent());
        assertTrue(resumed.progress().chunksVerified() >= survived, "resumed progress is visible at once");
        assertArrayEquals(data, Files.readAllBytes(finished(resumed)));
        assertTrue(peer(resumed.progress(), fast).bytesDownloaded() <= data.length - (long) survived * CHUNK,
                "chunks verified before the kill are not fetched again");
    }

    @Test
    void aFileDeletedFromAPausedDirectoryDownloadIsAllThatIsFetchedAgain() throws Exception {
        // Album: a.bin, b.bin and sub/c.bin, seven chunks; chunks 2 to 5 hold bytes of b.bin.
        Path album = dir.resolve("shared/Album");
        Files.createDirectories(album.resolve("sub"));
        Files.write(album.resolve("a.bin"), randomBytes(2 * CHUNK + 100, 60));
        Files.write(album.resolve("b.bin"), randomBytes(3 * CHUNK, 61));
        Files.write(album.resolve("sub/c.bin"), randomBytes(CHUNK + 50, 62));
        Manifest manifest = Manifest.ofDirectory(album, "Album", CHUNK);
        ByteBuffer bytes = ByteBuffer.allocate((int) manifest.length());
        for (String file : List.of("a.bin", "b.bin", "sub/c.bin")) {
            bytes.put(Files.readAllBytes(album.resolve(file)));
        }
        byte[] data = bytes.array();
        // An earlier run verified every chunk and was paused before the move into place.
        Path out = dir.resolve("out");
        Path part;
        try (ChunkStore store = ChunkStore.open(manifest, out)) {
            part = store.partFile();
            for (int i = 0; i < manifest.chunkCount(); i++) {
                StoreChunks.write(store, i, ByteBuffer.wrap(data, (int) manifest.chunkOffset(i),
                        manifest.chunkLength(i)).slice());
            }
        }
        Files.delete(part.resolve("b.bin")); // meanwhile, the user deletes one file of it
        java.util.Set<Integer> requested = java.util.concurrent.ConcurrentHashMap.newKeySet();
        InetSocketAddress seeder = scriptedPeer(msg -> {
            if (msg instanceof Message.Request r) {
                requested.add(r.index());
                return List.of(new Message.Chunk(r.index(), ByteBuffer.wrap(data, (int) manifest.chunkOffset(r.index()),
                        manifest.chunkLength(r.index()))));
            }
            return msg instanceof Message.Hello ? List.of(msg, Message.Bitfield.of(all(manifest)))
                    : msg instanceof Message.ManifestRequest
                    ? List.of(new Message.ManifestData(manifest.canonicalBytes())) : List.of();
        });

        NettyDownload resumed = NettyDownload.start(manifest.contentId(), List.of(seeder), out, group, base);
        Path placed = finished(resumed);
        assertEquals(java.util.Set.of(2, 3, 4, 5), requested, "only the chunks holding bytes of b.bin");
        assertEquals(out.resolve("Album"), placed);
        for (String file : List.of("a.bin", "b.bin", "sub/c.bin")) {
            assertArrayEquals(Files.readAllBytes(album.resolve(file)), Files.readAllBytes(placed.resolve(file)), file);
        }
        try (var left = Files.list(out)) {
            assertEquals(List.of(placed), left.toList(), "no partial directory left behind");
        }
    }

    /** Chunks the sidecar marks verified (one byte per chunk at its end); 0 while it does not exist. */
    private static int markedChunks(Path sidecar, Manifest manifest) throws IOException {
        if (!Files.exists(sidecar)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(sidecar);
        int marked = 0;
        for (int i = Math.max(0, bytes.length - manifest.chunkCount()); i < bytes.length; i++) {
            marked += bytes[i];
        }
        return marked;
    }

    /** A peer that answers each message it gets with the messages {@code script} gives for it, in order. */
    private InetSocketAddress scriptedPeer(java.util.function.Function<Message, List<Message>> script) {
        return fakePeer(() -> new SimpleChannelInboundHandler<Message>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
                script.apply(msg).forEach(ctx::write);
                ctx.flush();
            }
        });
    }

    /** A peer on 127.0.0.1 that speaks the wire format and answers with a fresh {@code handler} per connection. */
    private InetSocketAddress fakePeer(java.util.function.Supplier<SimpleChannelInboundHandler<Message>> handler) {
        LinkSecurity links = LinkSecurity.ephemeral();
        Channel server = new ServerBootstrap().group(group).channel(Transport.of(group).serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LinkPipeline.install(ch.pipeline(), links, Optional.empty());
                        WirePipeline.install(ch.pipeline());
                        ch.pipeline().addLast(handler.get());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        stallers.add(server);
        return (InetSocketAddress) server.localAddress();
    }

}
