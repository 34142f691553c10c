package dev.kadshare.transfer.download;

import static dev.kadshare.transfer.download.VirtualRun.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.store.Placement;
import dev.kadshare.transfer.Hostile;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.download.VirtualRun.Content;
import dev.kadshare.transfer.download.VirtualRun.Seeder;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.LastStop;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download core in virtual time: scripted peers as events, its store on a same-thread disk in a temporary
 * directory. No socket, no thread, no sleep; every run is deterministic.
 */
class DownloadTest {
    private static final int CHUNK = 16 * 1024; // small chunks so several peers share the work

    @TempDir
    Path dir;

    private VirtualRun run(Content content) {
        return run(content.id(), DownloadOptions.defaults());
    }

    private VirtualRun run(ContentId id, DownloadOptions options) {
        return new VirtualRun(id, options, dir.resolve("out"));
    }

    private static Seeder seeder(Content content) {
        return new Seeder(content);
    }

    private Path out() {
        return dir.resolve("out");
    }

    private List<Path> leftIn(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.toList();
        }
    }

    @Test
    void downloadsFromTwoSeedersIdenticallyAndBothServe() throws Exception {
        Content content = Content.random("data.bin", 12 * CHUNK + 777, CHUNK, 1); // odd last chunk
        VirtualRun run = run(content).peer(address(1), seeder(content)).peer(address(2), seeder(content));
        run.start(address(1), address(2));
        run.runToEnd();

        Path result = run.finished.orElseThrow();
        assertEquals(out().resolve("data.bin"), result);
        assertArrayEquals(content.bytes(), Files.readAllBytes(result));
        assertEquals(List.of(result), leftIn(out()), "no partial file, no sidecar");
        DownloadProgress progress = run.download.progress();
        assertEquals(DownloadState.COMPLETE, progress.state());
        assertEquals(Optional.of(content.manifest()), progress.manifest());
        assertEquals(content.manifest().chunkCount(), progress.chunksVerified());
        assertEquals(content.manifest().chunkCount(), progress.chunksTotal());
        assertEquals(content.bytes().length, progress.bytesDownloaded());
        assertEquals(2, progress.peers().size());
        for (PeerProgress peer : progress.peers()) {
            assertTrue(peer.bytesDownloaded() > 0, "both peers served chunks: " + peer);
            assertEquals(0, peer.badChunks());
            assertFalse(peer.dropped());
        }
        run.assertTidy();
    }

    @Test
    void milestonesComeOnceEachAndInOrder() {
        Content content = Content.random("m.bin", 6 * CHUNK, CHUNK, 2);
        VirtualRun run = run(content).peer(address(1), seeder(content));
        run.start(address(1));
        run.runToEnd();
        List<Class<?>> milestones = run.actions.stream().map(Object::getClass)
                .filter(c -> c == DownloadAction.ManifestKnown.class || c == DownloadAction.FirstChunk.class
                        || c == DownloadAction.Finished.class || c == DownloadAction.Stopped.class
                        || c == DownloadAction.Failed.class)
                .toList();
        assertEquals(List.of(DownloadAction.ManifestKnown.class, DownloadAction.FirstChunk.class,
                DownloadAction.Stopped.class, DownloadAction.Finished.class), milestones);
        List<Integer> verified = run.actions(DownloadAction.ChunkVerified.class).stream()
                .map(DownloadAction.ChunkVerified::index).sorted().toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), verified, "each chunk told once");
        DownloadAction.ManifestKnown known = run.actions(DownloadAction.ManifestKnown.class).get(0);
        assertEquals(content.manifest(), known.manifest());
        assertEquals(ChunkStore.partFileFor(out(), "m.bin"), known.partRoot());
        assertTrue(known.verified().isEmpty());
        run.assertTidy();
    }

    @Test
    void aCorruptPeerIsDroppedAndItsBytesNeverReachTheFile() throws Exception {
        Content content = Content.random("movie.bin", 10 * CHUNK + 5, CHUNK, 3);
        Seeder bad = seeder(content);
        bad.corrupts = i -> true;
        VirtualRun run = run(content).peer(address(1), bad).peer(address(2), seeder(content));
        run.start(address(1), address(2));
        run.runToEnd();

        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        PeerProgress badPeer = run.peer(address(1));
        assertTrue(badPeer.dropped(), badPeer.toString());
        assertTrue(badPeer.badChunks() > 0, badPeer.toString());
        PeerProgress goodPeer = run.peer(address(2));
        assertFalse(goodPeer.dropped());
        assertEquals(0, goodPeer.badChunks());
        run.assertTidy();
    }

    @Test
    void aManifestThatDoesNotHashToTheIdIsNotTrusted() throws Exception {
        Content content = Content.random("real.bin", 5 * CHUNK, CHUNK, 4);
        Content other = Content.of("other.bin", content.bytes(), CHUNK);
        Seeder liar = seeder(content);
        liar.manifestBytes = other.manifest().canonicalBytes(); // claims the id, hands out another manifest

        VirtualRun onlyLiar = run(content).peer(address(1), liar);
        onlyLiar.start(address(1));
        onlyLiar.runToEnd();
        assertTrue(onlyLiar.failed.orElseThrow().contains("no peer provided a manifest"), onlyLiar.failed.get());
        assertTrue(onlyLiar.peer(address(1)).dropped());
        assertEquals(DownloadState.FAILED, onlyLiar.download.progress().state());
        onlyLiar.assertTidy();

        VirtualRun both = run(content).peer(address(1), liar).peer(address(2), seeder(content));
        both.start(address(1), address(2));
        both.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(both.finished.orElseThrow()));
        both.assertTidy();
    }

    @Test
    void aZeroByteFileDownloads() throws Exception {
        Content empty = Content.of("empty.txt", new byte[0], Manifest.DEFAULT_CHUNK_SIZE);
        VirtualRun run = run(empty).peer(address(1), seeder(empty));
        run.start(address(1));
        run.runToEnd();
        Path result = run.finished.orElseThrow();
        assertEquals(out().resolve("empty.txt"), result);
        assertEquals(0, Files.size(result));
        run.assertTidy();
    }

    @Test
    void aDirectoryShareLandsEveryFileInPlace() throws Exception {
        byte[] a = new byte[3 * CHUNK + 7];
        byte[] b = new byte[CHUNK / 3];
        byte[] c = new byte[2 * CHUNK];
        new java.util.Random(5).nextBytes(a);
        new java.util.Random(6).nextBytes(b);
        new java.util.Random(7).nextBytes(c);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(a);
        all.write(b);
        all.write(c);
        byte[] bytes = all.toByteArray();
        Manifest manifest = Manifest.ofFiles("album", List.of(new ContentFile("a.bin", a.length),
                new ContentFile("sub/b.bin", b.length), new ContentFile("sub/empty.txt", 0),
                new ContentFile("sub/deeper/c.bin", c.length)), CHUNK, Content.hashes(bytes, CHUNK));
        Content content = new Content(manifest, bytes);
        VirtualRun run = run(content).peer(address(1), seeder(content)).peer(address(2), seeder(content));
        run.start(address(1), address(2));
        run.runToEnd();
        Path done = run.finished.orElseThrow();
        assertEquals(out().resolve("album"), done);
        assertArrayEquals(a, Files.readAllBytes(done.resolve("a.bin")));
        assertArrayEquals(b, Files.readAllBytes(done.resolve("sub/b.bin")));
        assertEquals(0, Files.size(done.resolve("sub/empty.txt")));
        assertArrayEquals(c, Files.readAllBytes(done.resolve("sub/deeper/c.bin")));
        run.assertTidy();
    }

    @Test
    void failsAtOnceWithoutPeers() {
        VirtualRun run = run(ContentId.of(Sha256.of(new byte[] {3})), DownloadOptions.defaults());
        run.start();
        run.runToEnd();
        assertEquals(Optional.of("no peers"), run.failed);
        run.assertTidy();
    }

    @Test
    void failsClearlyWhenNoPeerHasTheContent() {
        // A server without the content says GOODBYE and hangs up.
        VirtualRun run = run(ContentId.of(Sha256.of(new byte[] {1})), DownloadOptions.defaults())
                .peer(address(1), (message, replies) -> {
                    replies.send(new Message.Goodbye("unknown content"));
                    replies.close();
                });
        run.start(address(1));
        run.runToEnd();
        assertEquals(Optional.of("no peer provided a manifest matching the content id"), run.failed);
        assertFalse(run.peer(address(1)).dropped(), "not having the content is no misbehaviour");
        run.assertTidy();
    }

    @Test
    void peersAddedLaterAreUsed() throws Exception {
        Content content = Content.random("late.bin", 4 * CHUNK, CHUNK, 8);
        VirtualRun run = run(content).peer(address(1), (message, replies) -> { }) // accepts, never answers
                .peer(address(2), seeder(content));
        run.start(address(1));
        run.advance(Duration.ofSeconds(5));
        assertFalse(run.download.isOver());
        assertEquals(DownloadState.FETCHING_MANIFEST, run.download.progress().state());

        run.deliver(new DownloadEvent.PeersAdded(List.of(address(2))));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        run.assertTidy();
    }

    @Test
    void aPeerThatNeverAnswersIsClosedAfterTheIdleTimeoutAndItsChunksGoToAnother() throws Exception {
        Content content = Content.random("s.bin", 30 * CHUNK + 1, CHUNK, 9);
        Seeder staller = seeder(content);
        staller.ignores = i -> true; // HELLO, BITFIELD, the manifest, then silence
        Seeder far = seeder(content);
        far.latency = Duration.ofMillis(100);
        VirtualRun run = new VirtualRun(content.id(),
                DownloadOptions.builder().idleTimeout(Duration.ofMillis(300)).build(), out())
                .peer(address(1), staller).peer(address(2), far);
        run.start(address(1), address(2));
        run.runToEnd();

        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertFalse(staller.requested.isEmpty(), "it was asked");
        PeerProgress stalled = run.peer(address(1));
        assertEquals(0, stalled.bytesDownloaded());
        assertFalse(stalled.dropped(), "slow is not banned");
        int closedAt = run.actions.indexOf(run.actions(DownloadAction.CloseLink.class).get(0));
        assertEquals(address(1), ((DownloadAction.CloseLink) run.actions.get(closedAt)).link().peer(),
                "the staller was closed first, while the download went on");
        assertTrue(run.clock.nanos() > Duration.ofMillis(300).toNanos());
        run.assertTidy();
    }

    @Test
    void aRequestUnansweredForTheRequestTimeoutIsCancelledAndAskedOfAnother() throws Exception {
        Content content = Content.random("t.bin", 8 * CHUNK, CHUNK, 10);
        VirtualRun run = startWithChunkZeroHeldBack(content);
        run.advance(Duration.ofSeconds(3));
        assertEquals(7, run.download.progress().chunksVerified(), "all but the one it holds back");
        assertEquals(List.of(), run.sentTo(address(1), Message.Cancel.class), "not before the request timeout");
        run.advance(Duration.ofSeconds(4));
        assertEquals(List.of(new Message.Cancel(0)), run.sentTo(address(1), Message.Cancel.class));
        finishFromTheSecondPeer(run, content);

        assertEquals(List.of(0), run.sentTo(address(2), Message.Request.class).stream().map(Message.Request::index)
                .toList(), "the other peer was asked for that chunk only");
        assertFalse(run.peer(address(1)).dropped());
    }

    @Test
    void aChunkLargerThanOneMibMayTakeTheRequestTimeoutForEveryMib() throws Exception {
        int chunk = (2 << 20) + 1; // three MiB begun: three request timeouts
        Content content = Content.random("big.bin", 2 * chunk, chunk, 12);
        VirtualRun run = startWithChunkZeroHeldBack(content);
        run.advance(Duration.ofSeconds(11));
        assertEquals(List.of(), run.sentTo(address(1), Message.Cancel.class), "not before 3 x 4 s");
        run.advance(Duration.ofSeconds(3));
        assertEquals(List.of(new Message.Cancel(0)), run.sentTo(address(1), Message.Cancel.class));
        finishFromTheSecondPeer(run, content);
    }

    /**
     * A download with a request timeout of 4 s, started at a peer that answers every request but chunk 0's (so it is
     * never idle); a second peer holding everything is known to the run but not yet to the download.
     */
    private VirtualRun startWithChunkZeroHeldBack(Content content) {
        Seeder holdsOne = seeder(content);
        holdsOne.ignores = i -> i == 0;
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder()
                .requestTimeout(Duration.ofSeconds(4)).idleTimeout(Duration.ofHours(1)).build(), out())
                .peer(address(1), holdsOne).peer(address(2), seeder(content));
        run.start(address(1));
        return run;
    }

    /** Names the second peer to the download, which then completes: the file is the content, nothing is left over. */
    private static void finishFromTheSecondPeer(VirtualRun run, Content content) throws IOException {
        run.deliver(new DownloadEvent.PeersAdded(List.of(address(2))));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        run.assertTidy();
    }

    @Test
    void aPeerNamingThousandsOfPeersFillsTheListOnlyUpToItsCap() {
        Content content = Content.random("flood.bin", 4 * CHUNK, CHUNK, 11);
        // Answers HELLO, then names 3,000 peers in PEERS messages of 50 (the most one may carry), none of them real.
        List<Message> floods = new ArrayList<>();
        for (int batch = 0; batch < 60; batch++) {
            List<InetSocketAddress> named = new ArrayList<>();
            for (int i = 0; i < Message.Peers.MAX; i++) {
                named.add(address(1_000 + batch * 50 + i));
            }
            floods.add(Message.Peers.of(named));
        }
        Seeder flooder = seeder(content);
        flooder.holds = Optional.empty();
        flooder.ignores = i -> true;
        flooder.afterHello = floods;
        // One connection at a time: the dead peer's, refused, then the flooder's; none of the named is dialled.
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().maxPeers(1).build(), out())
                .peer(address(1), flooder);
        run.start(address(2), address(1));
        assertEquals(List.of(address(2), address(1)), run.dials.stream().map(Link::peer).toList());
        assertEquals(List.of(address(1)), run.download.progress().peers().stream().map(PeerProgress::address).toList(),
                "the dead peer made room");

        // Now the flooder goes: each named peer in turn gets the connection, and is refused.
        int before = run.dials.size();
        run.deliver(new DownloadEvent.LinkClosed(run.dials.get(1)));
        run.runToEnd();
        List<InetSocketAddress> named = run.dials.subList(before, run.dials.size()).stream().map(Link::peer).toList();
        // The book holds the flooder and 999 of the 3,000 (the dead peer's place went to the first of them).
        assertEquals(PeerBook.MAX_KNOWN_PEERS - 1, named.size());
        assertEquals(address(1_000), named.get(0));
        assertEquals(address(1_000 + PeerBook.MAX_KNOWN_PEERS - 2), named.get(named.size() - 1));
    }

    @Test
    void atMostMaxPeersAreConnectedAndAFreedConnectionGoesToTheNextInLine() throws Exception {
        Content content = Content.random("capped.bin", 16 * CHUNK, CHUNK, 12);
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().maxPeers(2).build(), out());
        for (int i = 1; i <= 4; i++) {
            run.peer(address(i), seeder(content));
        }
        run.start(address(0), address(1), address(2), address(3), address(4)); // nobody listens at 0
        run.runToEnd();

        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        // The dead peer and the first seeder were dialled; the dead one's slot went to the second seeder. Nobody
        // closed after that, so the last two seeders were never dialled and are not peers of the download.
        assertEquals(List.of(address(0), address(1), address(2)), run.dials.stream().map(Link::peer).toList());
        assertEquals(List.of(address(0), address(1), address(2)),
                run.download.progress().peers().stream().map(PeerProgress::address).toList());
        assertTrue(run.peer(address(1)).bytesDownloaded() > 0);
        assertTrue(run.peer(address(2)).bytesDownloaded() > 0);
        run.assertTidy();
    }

    @Test
    void aDownloadCappedAtOneChunkInFlightAsksItsPeersInTurn() throws Exception {
        Content content = Content.random("one.bin", 32 * CHUNK, CHUNK, 13);
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().maxInFlightBytes(CHUNK).build(), out());
        List<Seeder> seeders = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Seeder s = seeder(content);
            seeders.add(s);
            run.peer(address(i), s);
        }
        run.start(address(1), address(2), address(3), address(4));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        for (int i = 1; i <= 4; i++) {
            assertTrue(run.peer(address(i)).bytesDownloaded() > 0, "the one slot went round to every seeder");
        }
        run.assertTidy();
    }

    @Test
    void aPeerThatSaidGoodbyeIsDialledAgainAfterABackOff() throws Exception {
        Content content = Content.random("later.bin", 8 * CHUNK, CHUNK, 14);
        Seeder late = seeder(content);
        int[] asked = {0};
        // A downloader not serving the content yet: GOODBYE to its first caller, served after.
        VirtualRun run = run(content).peer(address(1), (message, replies) -> {
            if (message instanceof Message.Hello && asked[0]++ == 0) {
                replies.send(new Message.Goodbye("no such content"));
                replies.close();
            } else {
                late.onMessage(message, replies);
            }
        });
        Seeder slow = seeder(content);
        slow.ignores = i -> true; // keeps the download waiting, and the manifest comes from it
        run.peer(address(2), slow);
        run.start(address(2), address(1));
        run.advance(Duration.ofMillis(999));
        assertEquals(1, asked[0], "not dialled again before the back-off");
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertEquals(2, asked[0], "dialled once more after the GOODBYE");
        assertTrue(run.peer(address(1)).bytesDownloaded() > 0, "and then used");
        run.assertTidy();
    }

    @Test
    void aPeerThatHangsUpMidTransferIsNotBannedAndOthersFinish() throws Exception {
        Content content = Content.random("gone.bin", 30 * CHUNK, CHUNK, 15);
        Seeder vanishing = seeder(content);
        vanishing.answersBeforeHangingUp = 3;
        VirtualRun run = run(content).peer(address(1), vanishing).peer(address(2), seeder(content));
        run.start(address(1), address(2));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertFalse(run.peer(address(1)).dropped(), "disconnecting is not misbehaviour");
        run.assertTidy();
    }

    @Test
    void aPeerThatIsThisNodeItselfIsClosedNotBanned() throws Exception {
        Content content = Content.random("self.bin", 4 * CHUNK, CHUNK, 16);
        PeerId me = PeerId.of(Sha256.of(new byte[] {9}));
        Seeder own = seeder(content);
        own.nodeId = me;
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().nodeId(me).build(), out())
                .peer(address(1), own).peer(address(2), seeder(content));
        run.start(address(1), address(2));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        PeerProgress self = run.peer(address(1));
        assertEquals(me, self.nodeId());
        assertEquals(0, self.bytesDownloaded());
        assertFalse(self.dropped());
        assertEquals(List.of(), run.sentTo(address(1), Message.ManifestRequest.class), "nothing asked of itself");
        run.assertTidy();
    }

    @Test
    void anUnrequestedChunkDropsItsSender() throws Exception {
        Content content = Content.random("u.bin", 6 * CHUNK, CHUNK, 17);
        Seeder pusher = seeder(content);
        VirtualRun run = run(content).peer(address(1), (message, replies) -> {
            pusher.onMessage(message, replies);
            if (message instanceof Message.Request request) {
                replies.chunk((request.index() + 1) % 6, content.chunk((request.index() + 1) % 6)); // and one more
            }
        }).peer(address(2), seeder(content));
        run.start(address(1), address(2));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertTrue(run.peer(address(1)).dropped());
        run.assertTidy();
    }

    @Test
    void protocolErrorsDropThePeer() {
        Content content = Content.random("p.bin", 4 * CHUNK, CHUNK, 18);
        List<List<Message>> scripts = List.of(
                List.of(new Message.Have(0)), // before HELLO
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()),
                        new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id())),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, ContentId.of(Sha256.of(new byte[] {7})))),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION - 1, content.id())),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()), Message.Bitfield.of(content.all()),
                        Message.Bitfield.of(content.all())),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()), new Message.Have(1)),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()), new Message.Reject(2, "never asked")),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()),
                        new Message.ManifestData(content.manifest().canonicalBytes()),
                        new Message.ManifestData(content.manifest().canonicalBytes())),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()), new Message.Request(0)));
        for (List<Message> script : scripts) {
            VirtualRun run = run(content).peer(address(1), (message, replies) -> {
                if (message instanceof Message.Hello) {
                    script.forEach(replies::send);
                }
            });
            run.start(address(1));
            run.advance(Duration.ofSeconds(1));
            assertTrue(run.peer(address(1)).dropped(), "dropped for " + script);
        }
    }

    @Test
    void aRejectIsNoMisbehaviourAndTheChunkGoesToAnother() throws Exception {
        Content content = Content.random("r.bin", 6 * CHUNK, CHUNK, 19);
        Seeder busy = seeder(content);
        busy.ignores = i -> true;
        VirtualRun run = run(content).peer(address(1), (message, replies) -> {
            busy.onMessage(message, replies);
            if (message instanceof Message.Request request) {
                replies.send(new Message.Reject(request.index(), "busy"));
            }
        });
        run.start(address(1));
        run.runUntil(() -> !run.sentTo(address(1), Message.Request.class).isEmpty(), Duration.ofSeconds(1));
        run.peer(address(2), seeder(content));
        run.deliver(new DownloadEvent.PeersAdded(List.of(address(2))));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertFalse(run.peer(address(1)).dropped());
        assertEquals(0, run.peer(address(1)).bytesDownloaded());
        run.assertTidy();
    }

    @Test
    void aChokeBeforeTheManifestHoldsRequestsBackUntilTheUnchoke() throws Exception {
        Content content = Content.random("c.bin", 4 * CHUNK, CHUNK, 20);
        Seeder choking = seeder(content);
        choking.afterHello = List.of(new Message.Choke());
        VirtualRun run = run(content).peer(address(1), choking);
        run.start(address(1));
        run.advance(Duration.ofSeconds(1));
        assertEquals(DownloadState.DOWNLOADING, run.download.progress().state());
        assertEquals(List.of(), run.sentTo(address(1), Message.Request.class), "choked: asked nothing");

        run.deliver(new DownloadEvent.Received(run.dials.get(0), new Message.Unchoke()));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        run.assertTidy();
    }

    @Test
    void whatEachNodeHoldsIsToldForTheServingSideOnceTheManifestIsKnown() {
        Content content = Content.random("held.bin", 8 * CHUNK, CHUNK, 21);
        PeerId first = PeerId.of(Sha256.of(new byte[] {1}));
        PeerId second = PeerId.of(Sha256.of(new byte[] {2}));
        Seeder a = seeder(content);
        a.nodeId = first;
        a.ignores = i -> true;
        BitSet half = new BitSet();
        half.set(0, 4);
        Seeder b = seeder(content);
        b.nodeId = second;
        b.holds = Optional.of(half);
        b.ignores = i -> true;
        b.afterHello = List.of(new Message.Have(6));
        VirtualRun run = run(content).peer(address(1), a).peer(address(2), b);
        run.start(address(1));
        run.advance(Duration.ofSeconds(1));
        run.deliver(new DownloadEvent.PeersAdded(List.of(address(2))));

        // The first seeder's BITFIELD came before the manifest; the second's after the download began.
        int known = run.actions.indexOf(run.actions(DownloadAction.ManifestKnown.class).get(0));
        List<DownloadAction> told = run.actions.stream()
                .filter(x -> x instanceof DownloadAction.PeerHolds || x instanceof DownloadAction.PeerHoldsChunk)
                .toList();
        assertEquals(List.of(new DownloadAction.PeerHolds(first, content.all()),
                new DownloadAction.PeerHolds(second, half),
                new DownloadAction.PeerHoldsChunk(second, 6)), told);
        assertTrue(run.actions.indexOf(told.get(0)) > known, "told once there is something to serve");
        run.deliver(new DownloadEvent.Cancel());
    }

    @Test
    void aDownloadRateLimitPausesReadingUntilTheDebtIsPaid() throws Exception {
        Content content = Content.random("slow.bin", 64 * CHUNK, CHUNK, 22); // 1 MiB
        VirtualRun.Clock clock = new VirtualRun.Clock();
        TokenBucket bucket = new TokenBucket(256 << 10, 64 << 10, clock::nanos);
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().rateLimits(bucket).build(), out(), clock);
        run.peer(address(1), seeder(content));
        run.start(address(1));
        run.runToEnd();

        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        // 1 MiB less the 64 KiB burst at 256 KiB/s is 3.75 s, less the debt of what was read before the link paused
        // (at most the 8 chunks a peer has in flight) and of the last chunk, never waited out.
        double took = run.clock.nanos() / 1e9;
        assertTrue(took >= (1024 - 64 - 8 * 16) / 256.0, "took " + took + " s");
        assertTrue(took <= 3.75, "and no longer: " + took + " s");
        assertFalse(run.actions(DownloadAction.PauseReading.class).isEmpty());
        int pauses = run.actions(DownloadAction.PauseReading.class).size();
        int resumes = run.actions(DownloadAction.ResumeReading.class).size();
        assertTrue(pauses - resumes <= 1, "every pause ends but one the finish closed: " + pauses + " " + resumes);
        run.assertTidy();
    }

    @Test
    void aManifestWithPathTraversalIsRejectedBeforeAnythingIsWritten() throws Exception {
        // A version-2 manifest whose only file is "../escaped", published under its true hash: it cannot even be
        // decoded, so its sender is dropped.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.write(new byte[] {'K', 'S', 'M', 'F', 2});
        data.writeShort(3);
        data.write("dir".getBytes(StandardCharsets.UTF_8));
        data.writeInt(1);
        byte[] path = "../escaped".getBytes(StandardCharsets.UTF_8);
        data.writeShort(path.length);
        data.write(path);
        data.writeLong(4);
        data.writeInt(1024);
        data.writeInt(1);
        data.write(Sha256.of(new byte[4]));
        byte[] evil = bytes.toByteArray();
        ContentId id = ContentId.of(Sha256.of(evil));
        Path outDir = dir.resolve("jail/out");
        VirtualRun run = new VirtualRun(id, DownloadOptions.defaults(), outDir).peer(address(1), (m, r) -> {
            if (m instanceof Message.Hello) {
                r.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, id));
            } else if (m instanceof Message.ManifestRequest) {
                r.send(new Message.ManifestData(evil));
            }
        });
        run.start(address(1));
        run.runToEnd();
        assertTrue(run.failed.isPresent());
        assertTrue(run.peer(address(1)).dropped());
        assertFalse(Files.exists(dir.resolve("jail/escaped")));
        assertEquals(List.of(), leftIn(outDir), "nothing written");
        run.assertTidy();
    }

    @Test
    void aHaveForAChunkNoManifestCanHoldDropsThePeerBeforeAnythingThatBigIsAllocated() {
        Content content = Content.random("have.bin", 4 * CHUNK, CHUNK, 23);
        // Six bytes of HAVE used to make the downloader grow that peer's BitSet to 2^31 bits: 256 MiB.
        VirtualRun run = run(content).peer(address(1), (m, r) -> {
            if (m instanceof Message.Hello) {
                r.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
                r.send(new Message.Bitfield(new byte[0]));
            }
        });
        run.start(address(1));
        long before = Hostile.allocatedBytes();
        run.deliver(new DownloadEvent.Received(run.dials.get(0), new Message.Have(Integer.MAX_VALUE - 1)));
        long allocated = Hostile.allocatedBytes() - before;
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
        assertTrue(run.peer(address(1)).dropped(), "a HAVE of chunk 2^31 - 2 is misbehaviour");
    }

    @Test
    void aManifestThatDoesNotHashToTheIdIsDroppedBeforeItIsDecoded() {
        Content content = Content.random("asked.bin", 4 * CHUNK, CHUNK, 24);
        // 4 MB of a directory manifest with 1,000 paths 2,040 directories deep: decoding it is work (it was 4.7 GiB
        // allocated and 5 s before its layout check was made linear), owed to no peer that sends it for an id it
        // does not hash to.
        byte[] other = Hostile.deepDirectoryManifest(1000);
        VirtualRun run = run(content).peer(address(1), (m, r) -> {
            if (m instanceof Message.Hello) {
                r.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
            }
        });
        run.start(address(1));
        long before = Hostile.allocatedBytes();
        run.deliver(new DownloadEvent.Received(run.dials.get(0), new Message.ManifestData(other)));
        long allocated = Hostile.allocatedBytes() - before;
        assertTrue(run.peer(address(1)).dropped());
        assertTrue(allocated < 16 << 20, "hashing 4 MB, not decoding it: allocated " + allocated + " bytes");
    }

    // ---- resuming, stopping, and the store ----

    /** What an earlier run left: chunks {@code marked} written and recorded, the store never closed (a crash). */
    private ChunkStore crashedWith(Content content, int... marked) throws IOException {
        ChunkStore crashed = ChunkStore.create(content.manifest(), out());
        for (int i : marked) {
            crashed.writeData(i, content.chunk(i));
            crashed.markStored(i);
        }
        return crashed;
    }

    @Test
    void aCrashedDownloadResumesWithItsProgressShownBeforeAnyPeerAnswersAndFetchesOnlyWhatIsMissing()
            throws Exception {
        Content content = Content.random("resume.bin", 10 * CHUNK + 123, CHUNK, 25);
        crashedWith(content, 0, 1, 2, 3, 4, 5);
        VirtualRun run = run(content).peer(address(1), seeder(content));
        run.start();
        DownloadProgress resumed = run.download.progress();
        assertEquals(Optional.of(content.manifest()), resumed.manifest(), "known from the sidecar");
        assertEquals(6, resumed.chunksVerified());
        assertEquals(DownloadState.DOWNLOADING, resumed.state());
        assertEquals(1, run.actions(DownloadAction.FirstChunk.class).size(), "it holds chunks: worth announcing");

        run.deliver(new DownloadEvent.PeersAdded(List.of(address(1))));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertEquals(content.bytes().length - 6L * CHUNK, run.peer(address(1)).bytesDownloaded(),
                "only the missing chunks fetched");
        assertEquals(List.of(out().resolve("resume.bin")), leftIn(out()), "sidecar gone once complete");
        run.assertTidy();
    }

    @Test
    void aResumeAfterAnUncleanStopFetchesAgainAMarkedChunkWhoseBytesWereLost() throws Exception {
        Content content = Content.random("lost.bin", 16 * CHUNK, CHUNK, 26);
        ChunkStore crashed = crashedWith(content, 0, 1, 2, 3, 4, 5, 6, 7);
        // The process died without closing, and chunk 3's data never reached the disk.
        try (FileChannel part = FileChannel.open(crashed.partFile(), StandardOpenOption.WRITE)) {
            part.write(ByteBuffer.allocate(CHUNK), 3L * CHUNK);
        }
        VirtualRun run = run(content).peer(address(1), seeder(content));
        run.start(address(1));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertEquals(9L * CHUNK, run.peer(address(1)).bytesDownloaded(), "the 8 missing chunks and the lost one");
        run.assertTidy();
    }

    @Test
    void aPartialFileWhoseSidecarWasLostIsCheckedAndOnlyItsMissingChunksFetched() throws Exception {
        Content content = Content.random("nosidecar.bin", 10 * CHUNK + 123, CHUNK, 27);
        crashedWith(content, 0, 1, 2, 3, 4, 5).close();
        for (Path p : leftIn(out())) {
            if (p.getFileName().toString().endsWith(".kadshare-state")) {
                Files.delete(p); // the sidecar is gone; the partial file is not
            }
        }
        VirtualRun run = run(content).peer(address(1), seeder(content));
        run.start(address(1));
        run.runToEnd();
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertEquals(content.bytes().length - 6L * CHUNK, run.peer(address(1)).bytesDownloaded(),
                "the six chunks already there were found by hashing, not fetched again");
        run.assertTidy();
    }

    @Test
    void aCancelKeepsTheProgressMarkedCleanAndAnAbandonDeletesIt() throws Exception {
        Content content = Content.random("keep.bin", 8 * CHUNK, CHUNK, 28);
        Seeder some = seeder(content);
        some.ignores = i -> some.answered >= 3; // three chunks, then silence
        VirtualRun first = run(content).peer(address(1), some);
        first.start(address(1));
        first.advance(Duration.ofSeconds(1));
        assertEquals(3, first.download.progress().chunksVerified());
        first.deliver(new DownloadEvent.Cancel());
        assertEquals(DownloadState.CANCELLED, first.download.progress().state());
        first.assertTidy();
        try (ChunkStore left = ChunkStore.resume(content.id(), out()).orElseThrow()) {
            assertEquals(LastStop.CLEAN, left.lastStop(), "closed cleanly: a resume trusts the marks");
            assertEquals(3, left.verifiedCount());
        }

        VirtualRun second = run(content);
        second.start();
        assertEquals(3, second.download.progress().chunksVerified());
        assertEquals(List.of(), second.actions(DownloadAction.Store.class).stream()
                .filter(s -> s.job() instanceof StoreJob.Recheck).toList(), "no recheck after a clean stop");
        second.deliver(new DownloadEvent.Abandon());
        assertEquals(List.of(), leftIn(out()), "abandoned: partial file and sidecar gone once stopped");
        second.assertTidy();
    }

    @Test
    void anAbandonAfterAFailureDeletesThePartialDownloadTheFailureKept() throws Exception {
        Content content = Content.random("failed.bin", 8 * CHUNK, CHUNK, 29);
        Seeder once = seeder(content);
        once.answersBeforeHangingUp = 2;
        VirtualRun run = run(content).peer(address(1), once);
        run.start(address(1));
        run.runToEnd();
        assertTrue(run.failed.orElseThrow().startsWith("no usable peer left"), run.failed.get());
        assertEquals(1, run.stops);
        assertTrue(ChunkStore.resume(content.id(), out()).isPresent(), "a failure keeps the partial download");

        run.deliver(new DownloadEvent.Abandon());
        assertEquals(List.of(), leftIn(out()));
    }

    @Test
    void aStopWaitsForTheChunksBeingWrittenBeforeItClosesTheStore() throws Exception {
        Content content = Content.random("w.bin", 8 * CHUNK, CHUNK, 30);
        List<StoreJob> held = new ArrayList<>();
        Disk[] real = new Disk[1];
        VirtualRun run = run(content).peer(address(1), seeder(content)).disk(disk -> {
            real[0] = disk;
            return job -> {
                if (job instanceof StoreJob.HashAndWrite) {
                    held.add(job); // still on the hashing worker
                } else {
                    disk.submit(job);
                }
            };
        });
        run.start(address(1));
        assertFalse(held.isEmpty());
        run.deliver(new DownloadEvent.Cancel());
        assertEquals(0, run.stops, "not stopped while chunks are being written");
        assertEquals(List.of(), run.actions(DownloadAction.Store.class).stream()
                .filter(s -> s.job() instanceof StoreJob.Close).toList(), "nor closed");

        held.forEach(real[0]::submit);
        run.advance(Duration.ZERO); // the results land
        assertEquals(1, run.stops);
        try (ChunkStore left = ChunkStore.resume(content.id(), out()).orElseThrow()) {
            assertEquals(LastStop.CLEAN, left.lastStop());
            assertEquals(held.size(), left.verifiedCount(), "the chunks that landed after the cancel are kept");
        }
        run.assertTidy();
    }

    @Test
    void aFailingDiskFailsTheDownloadWithItsReason() throws Exception {
        Content content = Content.random("d.bin", 4 * CHUNK, CHUNK, 31);
        for (Class<? extends StoreJob> failing : List.of(StoreJob.Open.class, StoreJob.HashAndWrite.class,
                StoreJob.Finish.class)) {
            Path outDir = dir.resolve(failing.getSimpleName());
            VirtualRun[] runs = new VirtualRun[1];
            VirtualRun run = new VirtualRun(content.id(), DownloadOptions.defaults(), outDir)
                    .peer(address(1), seeder(content))
                    .disk(disk -> job -> {
                        if (failing.isInstance(job)) {
                            if (job instanceof StoreJob.HashAndWrite write) {
                                write.body().free();
                            }
                            runs[0].post(new StoreResult.JobFailed(job, "disk full"));
                        } else {
                            disk.submit(job);
                        }
                    });
            runs[0] = run;
            run.start(address(1));
            run.runToEnd();
            assertEquals(Optional.of("disk full"), run.failed, failing.getSimpleName());
            assertEquals(DownloadState.FAILED, run.download.progress().state());
            run.assertTidy();
        }
    }

    @Test
    void theCoreNeedsNeitherBytesNorFilesSoADiskThatModelsThemCanDriveIt() {
        // What a simulation does: chunks without bytes (a body that may not be read), a disk that answers at once.
        Content content = Content.random("modelled.bin", 6 * CHUNK, CHUNK, 32);
        Path nowhere = Path.of("modelled");
        VirtualRun[] runs = new VirtualRun[1];
        VirtualRun run = run(content).peer(address(1), (message, replies) -> {
            if (message instanceof Message.Hello) {
                replies.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
                replies.send(Message.Bitfield.of(content.all()));
            } else if (message instanceof Message.ManifestRequest) {
                replies.send(new Message.ManifestData(content.manifest().canonicalBytes()));
            } else if (message instanceof Message.Request request) {
                runs[0].post(new DownloadEvent.ChunkReceived(replies.link(), request.index(), new ChunkBody() {
                    @Override
                    public int length() {
                        return CHUNK;
                    }

                    @Override
                    public ByteBuffer data() {
                        throw new AssertionError("the core never reads a chunk's bytes");
                    }

                    @Override
                    public void free() {
                    }
                }));
            }
        }).disk(real -> job -> runs[0].post(modelled(job, nowhere)));
        runs[0] = run;
        run.start(address(1));
        run.runToEnd();
        assertEquals(Optional.of(nowhere.resolve("modelled.bin")), run.finished);
        assertEquals(6L * CHUNK, run.peer(address(1)).bytesDownloaded());
        assertFalse(Files.exists(out()), "no file touched");
    }

    /** A modelled store's answer to {@code job}: every chunk matches, every file operation succeeds. */
    private static StoreResult modelled(StoreJob job, Path root) {
        if (job instanceof StoreJob.Resume) {
            return new StoreResult.Resumed(Optional.empty());
        } else if (job instanceof StoreJob.Open open) {
            return new StoreResult.Opened(new StoreState(open.manifest(), root, new BitSet(), LastStop.CLEAN));
        } else if (job instanceof StoreJob.HashAndWrite write) {
            write.body().free();
            return new StoreResult.Stored(write.index(), write.from());
        } else if (job instanceof StoreJob.Finish) {
            return new StoreResult.Moved(root.resolve("modelled.bin"), Placement.WRITTEN);
        } else if (job instanceof StoreJob.Close) {
            return new StoreResult.Closed();
        }
        return new StoreResult.Discarded();
    }
}
