package dev.kadshare.transfer.download;

import static dev.kadshare.transfer.download.VirtualRun.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.download.VirtualRun.Content;
import dev.kadshare.transfer.download.VirtualRun.Seeder;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile peers against the download core: scripted peers in virtual time, the disk on the test's
 * thread. Every address is loopback and virtual: nothing is dialled for real.
 */
class HostilePeerTest {
    private static final int CHUNK = 16 * 1024;

    @TempDir
    Path dir;

    private static PeerId node(int n) {
        return PeerId.of(Sha256.of(new byte[] {(byte) n}));
    }

    /**
     * A peer asked once for a chunk sends that chunk many times before the first copy is hashed. Every copy after the
     * first was never requested: README and PROTOCOL.md say such a CHUNK drops (and bans) its sender. Each copy
     * accepted instead holds a chunk buffer and costs a hash (and a write) on the hashing pool, outside
     * {@code maxInFlightBytes}: a peer can make the node buffer and hash without bound.
     */
    @Test
    void copiesOfARequestedChunkBeyondTheFirstAreNeitherHashedNorWritten() throws Exception {
        Content content = Content.random("dup.bin", 8 * CHUNK, CHUNK, 11);
        int copies = 50;
        PeerBans bans = new PeerBans();
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().bans(bans).build(), dir.resolve("dup"))
                .peer(address(1), node(1), (message, replies) -> {
                    if (message instanceof Message.Hello) {
                        replies.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
                        replies.send(Message.Bitfield.of(content.all()));
                    } else if (message instanceof Message.ManifestRequest) {
                        replies.send(new Message.ManifestData(content.manifest().canonicalBytes()));
                    } else if (message instanceof Message.Request r) {
                        for (int i = 0; i < copies; i++) { // the same chunk, again and again, at once
                            replies.chunk(r.index(), content.chunk(r.index()));
                        }
                    }
                });
        run.start(address(1));
        run.advance(Duration.ofSeconds(5));

        long requests = run.sentTo(address(1), Message.Request.class).size();
        long hashed = run.actions(DownloadAction.Store.class).stream()
                .filter(s -> s.job() instanceof StoreJob.HashAndWrite w && w.from().equals(address(1))).count();
        assertTrue(hashed <= requests, "hash-and-write jobs " + hashed + " for " + requests + " requests");
        assertTrue(run.peer(address(1)).dropped(), "a copy nobody asked for drops its sender");
    }

    /**
     * The peer asked for the manifest never answers, but keeps its connection busy with harmless messages (UNCHOKE
     * every 10 s), so it is never idle. The manifest is asked of one peer at a time, with no deadline: the honest
     * seeder connected alongside is never asked, and the download stays in FETCHING_MANIFEST for good.
     */
    @Test
    void aPeerThatNeverAnswersTheManifestRequestButStaysBusyDoesNotStallTheDownload() throws Exception {
        Content content = Content.random("stall.bin", 8 * CHUNK, CHUNK, 12);
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().build(), dir.resolve("stall"))
                .peer(address(1), node(1), (message, replies) -> {
                    if (message instanceof Message.Hello) {
                        replies.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
                        replies.send(Message.Bitfield.of(content.all()));
                        for (int i = 1; i <= 60; i++) { // ten minutes of keep-alives, bounded
                            replies.later(Duration.ofSeconds(10L * i), () -> replies.send(new Message.Unchoke()));
                        }
                    }
                    // MANIFEST_REQUEST, REQUEST: never answered
                });
        Seeder honest = new Seeder(content);
        honest.nodeId = node(2);
        run.peer(address(2), honest);
        run.start(address(1), address(2));
        run.runUntil(() -> run.download.isOver(), Duration.ofMinutes(5));

        assertEquals(java.util.Optional.empty(), run.failed);
        assertTrue(run.finished.isPresent(), "finished from the honest seeder within 5 minutes: "
                + run.download.progress());
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
    }

    /**
     * A peer says it holds every chunk and keeps its link busy (UNCHOKE every 10 s, so it is never idle) but never
     * sends one: each of its requests times out and is asked again of it, holding request slots for good. It is
     * dropped from the download (not banned), once its requests timed out more than twice its pipeline over.
     */
    @Test
    void aPeerThatTakesRequestsAndNeverAnswersIsDroppedNotBanned() throws Exception {
        Content content = Content.random("stall.bin", 64 * CHUNK, CHUNK, 13);
        PeerBans bans = new PeerBans();
        Seeder staller = new Seeder(content);
        staller.nodeId = node(1);
        staller.ignores = index -> true;
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().bans(bans).build(), dir.resolve("s"))
                .peer(address(1), node(1), (message, replies) -> {
                    staller.onMessage(message, replies);
                    if (message instanceof Message.Hello) {
                        for (int i = 1; i <= 60; i++) { // ten minutes of keep-alives, bounded
                            replies.later(Duration.ofSeconds(10L * i), () -> replies.send(new Message.Unchoke()));
                        }
                    }
                });
        run.start(address(1));
        run.runUntil(() -> run.peer(address(1)).dropped(), Duration.ofMinutes(10));

        assertTrue(run.peer(address(1)).dropped(), "dropped: " + run.download.progress());
        assertEquals(new PeerBans.Counts(0, 0, 0), bans.counts(), "slow is not malicious: nobody banned");
    }
}
