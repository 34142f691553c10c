package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.PeerUpload;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.store.FileSpan;
import dev.kadshare.transfer.store.Naming;
import dev.kadshare.transfer.store.ReadPath;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One content's hub in virtual time: sessions scripted as events, no socket, no file opened. */
class ServingHubTest {
    private static final Path ROOT = Path.of("/shared/f.bin");
    /** Five chunks of 1000 bytes, the last one 500. */
    private static final Manifest MANIFEST = Manifest.of("f.bin", 4500, 1000,
            Collections.nCopies(5, new byte[Sha256.LENGTH]));

    private static PeerId node(int n) {
        return PeerId.of(Sha256.of(ByteBuffer.allocate(4).putInt(0, n).array()));
    }

    private static HubSettings settings(int slots) {
        return new HubSettings(slots, Duration.ofSeconds(1), List.of(TokenBucket.unlimited()), false);
    }

    private static HubRun complete() {
        return new HubRun(settings(8), LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
    }

    private static HubRun partial(int... held) {
        BitSet has = new BitSet();
        for (int i : held) {
            has.set(i);
        }
        return new HubRun(settings(8), LocalCopy.partial(MANIFEST, ROOT, has));
    }

    private static Optional<InetSocketAddress> servingAt(int port) {
        return Optional.of(new InetSocketAddress("127.0.0.1", port));
    }

    private static BitSet all() {
        BitSet b = new BitSet();
        b.set(0, 5);
        return b;
    }

    // ---- the session: HELLO, manifest, chunks ----

    @Test
    void aJoinerHearsHelloAndWhatIsHeldThenGetsTheManifestAndChunksFromTheirFiles() {
        HubRun run = complete();
        SessionId a = run.join();
        assertEquals(List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, MANIFEST.contentId()),
                Message.Bitfield.of(all())), run.messages(a), "no CHOKE: a slot was free");
        run.handle(new HubEvent.ManifestRequested(a));
        assertArrayEquals(MANIFEST.canonicalBytes(),
                ((Message.ManifestData) run.messages(a).get(0)).canonicalBytes());
        run.request(a, 4, 1);
        List<HubAction> sent = run.actions(a);
        assertEquals(List.of(
                new HubAction.SendChunk(a, 4, 500, ROOT, List.of(new FileSpan(ROOT, 4000, 500)), ReadPath.PAGE_CACHE),
                new HubAction.SendChunk(a, 1, 1000, ROOT, List.of(new FileSpan(ROOT, 1000, 1000)), ReadPath.PAGE_CACHE)),
                sent, "a complete share is the user's: read through the page cache");
    }

    @Test
    void aChunkThatDoesNotExistOrIsNotHeldYetIsRejectedAndTheSessionKept() {
        HubRun run = partial(1);
        SessionId a = run.join();
        run.messages(a);
        run.request(a, 5, -1, 0);
        assertEquals(List.of(new Message.Reject(5, "no chunk 5 in 5"), new Message.Reject(-1, "no chunk -1 in 5"),
                new Message.Reject(0, "chunk 0 not held yet")), run.messages(a));
        run.request(a, 1);
        assertEquals(List.of(1), run.chunks(a));
    }

    @Test
    void aFlooderIsClosedAndItsSlotGoesToTheNextInLine() {
        HubRun run = new HubRun(settings(1), LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
        SessionId flooder = run.join();
        SessionId waiting = run.join();
        run.handle(new HubEvent.WritabilityChanged(flooder, false)); // it reads nothing: its requests pile up
        for (int i = 0; i < ServingHub.MAX_QUEUED_REQUESTS; i++) {
            run.request(flooder, i % 5);
        }
        run.actions(flooder);
        run.actions(waiting);
        run.request(flooder, 0);
        assertEquals(List.of(new HubAction.Close(flooder, "more than 256 requests queued")), run.actions(flooder));
        assertEquals(List.of(new Message.Unchoke()), run.messages(waiting));
        run.handle(new HubEvent.Left(flooder)); // the close lands: nothing more happens
        assertEquals(List.of(), run.actions(waiting));
    }

    @Test
    void aCancelledRequestIsNeverSentAndOneAlreadyHandedOutIsNotTakenBack() {
        HubRun run = complete();
        SessionId a = run.join();
        run.messages(a);
        run.stall(a);
        run.request(a, 0, 1, 2, 3);
        assertEquals(List.of(0, 1), run.chunks(a), "two handed out ahead of the writes, the rest queued");
        run.handle(new HubEvent.Cancelled(a, 2));
        run.handle(new HubEvent.Cancelled(a, 0));
        run.drain(a);
        assertEquals(List.of(3), run.chunks(a));
    }

    // ---- flow control ----

    @Test
    void chunksGoOnlyWhileTheConnectionCanTakeThemAndAtMostTwoAhead() {
        HubRun run = complete();
        SessionId a = run.join();
        run.messages(a);
        run.stall(a);
        run.request(a, 0, 1, 2, 3, 4);
        assertEquals(List.of(0, 1), run.chunks(a), "two handed out, none written yet");
        run.handle(new HubEvent.ChunkWritten(a, false));
        assertEquals(List.of(), run.chunks(a), "one written, but the buffer is full");
        run.handle(new HubEvent.WritabilityChanged(a, true));
        assertEquals(List.of(2), run.chunks(a), "room again: one more, two ahead again");
        run.drain(a);
        assertEquals(List.of(3, 4), run.chunks(a));
    }

    @Test
    void atMostTwoChunksAreHandedOutOverAllSessionsAndTheFreedPlaceGoesToTheOneServedLeastRecently() {
        HubRun run = complete();
        SessionId a = joinStalled(run);
        SessionId b = joinStalled(run);
        run.request(a, 0, 1, 2);
        run.request(b, 3, 4);
        assertEquals(List.of(0, 1), run.chunks(a));
        assertEquals(List.of(), run.chunks(b), "b's requests wait, still cancellable, behind a's two handed chunks");
        run.handle(new HubEvent.Cancelled(b, 4));
        run.handle(new HubEvent.ChunkWritten(a, true));
        assertEquals(List.of(3), run.chunks(b), "the freed place goes to b, never served, not back to a");
        assertEquals(List.of(), run.chunks(a));
        run.handle(new HubEvent.ChunkWritten(a, true));
        assertEquals(List.of(2), run.chunks(a));
        run.drain(a);
        run.drain(b);
        assertEquals(List.of(), run.chunks(b), "chunk 4 was cancelled while it waited: never sent");
    }

    @Test
    void theChunksOfASessionThatLeftNoLongerHoldTheOthersBack() {
        HubRun run = complete();
        SessionId a = joinStalled(run);
        SessionId b = run.join();
        run.messages(b);
        run.request(a, 0, 1);
        run.request(b, 2);
        assertEquals(List.of(), run.chunks(b));
        run.handle(new HubEvent.Left(a));
        assertEquals(List.of(2), run.chunks(b), "a's unwritten chunks went with its connection");
    }

    /** A session that joined, read its greeting and reports no chunk written until drained. */
    private static SessionId joinStalled(HubRun run) {
        SessionId s = run.join();
        run.messages(s);
        run.stall(s);
        return s;
    }

    // ---- a partial download: HAVEs ----

    @Test
    void aPartialContentTellsEveryPeerOfEachNewChunkOnce() {
        HubRun run = partial(1);
        SessionId a = run.join();
        SessionId b = run.join();
        BitSet one = new BitSet();
        one.set(1);
        assertEquals(Message.Bitfield.of(one), run.messages(a).get(1));
        run.messages(b);
        run.handle(new HubEvent.ChunkAdded(0));
        run.handle(new HubEvent.ChunkAdded(0));
        run.handle(new HubEvent.ChunkAdded(1));
        assertEquals(List.of(new Message.Have(0)), run.messages(a));
        assertEquals(List.of(new Message.Have(0)), run.messages(b));
        run.request(a, 0);
        assertEquals(List.of(0), run.chunks(a));
        run.handle(new HubEvent.Left(a));
        run.handle(new HubEvent.ChunkAdded(2));
        assertEquals(List.of(), run.messages(a), "gone: told nothing more");
        assertEquals(List.of(new Message.Have(2)), run.messages(b));
    }

    @Test
    void noHaveGoesToAPeerKnownToHoldTheChunkAlready() {
        PeerHoldings holdings = new PeerHoldings(5);
        HubRun run = new HubRun(settings(8), LocalCopy.partial(MANIFEST, ROOT, new BitSet()), holdings);
        PeerId knowing = node(7);
        // What this node's own download heard from that peer's server: chunk 0, then chunk 1.
        run.handle(new HubEvent.PeerHolds(knowing, BitSet.valueOf(new long[] {0b01})));
        run.handle(new HubEvent.PeerHoldsChunk(knowing, 1));
        SessionId known = run.join(knowing, Optional.empty());
        SessionId anonymous = run.join();
        run.messages(known);
        run.messages(anonymous);
        for (int i = 0; i < 3; i++) {
            run.handle(new HubEvent.ChunkAdded(i));
        }
        assertEquals(List.of(new Message.Have(2)), run.messages(known), "0 and 1 are held already");
        assertEquals(List.of(new Message.Have(0), new Message.Have(1), new Message.Have(2)), run.messages(anonymous),
                "a peer without an id hears of everything");
    }

    // ---- moving into place ----

    @Test
    void nothingIsReadWhileTheFilesMoveAndEverythingAfterFromWhereTheyWent() {
        HubRun run = partial(0, 1, 2, 3);
        SessionId a = run.join();
        run.messages(a);
        assertEquals(Optional.empty(), run.hub.completeAt());
        run.handle(new HubEvent.ChunkAdded(4));
        run.handle(new HubEvent.Moving());
        assertEquals(Optional.empty(), run.hub.completeAt(), "not while it moves");
        run.request(a, 4, 0);
        assertEquals(List.of(new Message.Have(4)), run.messages(a), "requests wait while the files move");
        Path moved = Path.of("/downloads/f.bin");
        run.handle(new HubEvent.MovedTo(moved));
        assertEquals(List.of(
                new HubAction.SendChunk(a, 4, 500, moved, List.of(new FileSpan(moved, 4000, 500)), ReadPath.DIRECT),
                new HubAction.SendChunk(a, 0, 1000, moved, List.of(new FileSpan(moved, 0, 1000)), ReadPath.DIRECT)),
                run.actions(a), "a download's copy, moved, is still read around the page cache");
        assertEquals(Optional.of(moved), run.hub.completeAt());
    }

    @Test
    void aChunkThatCannotBeReadEndsItsSessionWithAGoodbyeAndFreesItsSlot() {
        HubRun run = new HubRun(settings(1), LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
        SessionId a = run.join();
        SessionId b = run.join();
        run.stall(a);
        run.request(a, 3);
        run.actions(a);
        run.actions(b);
        run.handle(new HubEvent.ChunkUnreadable(a, 3));
        assertEquals(List.of(new HubAction.Goodbye(a, "chunk 3 is not available")), run.actions(a),
                "no local path goes to the peer");
        assertEquals(List.of(new Message.Unchoke()), run.messages(b));
        assertEquals(0, run.hub.uploads().stream().mapToLong(PeerUpload::bytesUploaded).sum(),
                "counted when handed out, taken back: nothing of it went out");
    }

    // ---- upload slots ----

    @Test
    void aConnectionThatRequestsNothingForAWholePeriodLosesItsSlotFirst() {
        HubRun run = new HubRun(settings(3), LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
        List<SessionId> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SessionId s = run.join();
            assertEquals(i < 3 ? 2 : 3, run.messages(s).size(), "three served at once, the fourth choked");
            sessions.add(s);
        }
        SessionId a = sessions.get(0);
        SessionId b = sessions.get(1);
        SessionId c = sessions.get(2);
        SessionId d = sessions.get(3);
        run.request(d, 0);
        assertEquals(List.of(new Message.Reject(0, "choked")), run.messages(d));

        run.advance(Duration.ofSeconds(1)); // nobody has been served a whole period yet: the longest served yields
        assertEquals(List.of(new Message.Choke()), run.messages(a));
        assertEquals(List.of(new Message.Unchoke()), run.messages(d));

        run.request(b, 1); // b uses its slot, c does not
        assertEquals(List.of(1), run.chunks(b));
        run.advance(Duration.ofSeconds(1));
        assertEquals(List.of(new Message.Choke()), run.messages(c), "idle c yields");
        assertEquals(List.of(), run.messages(b), "b, served longer but asking, keeps its slot");
        assertEquals(List.of(), run.messages(d), "d only just got its slot");
        assertEquals(List.of(new Message.Unchoke()), run.messages(a));
    }

    @Test
    void aChokeDropsWhatWasQueuedAndALeavingPeerFreesItsSlot() {
        HubRun run = new HubRun(settings(1), LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
        SessionId a = run.join();
        SessionId b = run.join();
        run.messages(a);
        run.messages(b);
        run.stall(a);
        run.request(a, 0, 1, 2, 3);
        assertEquals(List.of(0, 1), run.chunks(a));
        run.advance(Duration.ofSeconds(1));
        assertEquals(List.of(new Message.Choke()), run.messages(a));
        run.drain(a);
        assertEquals(List.of(), run.chunks(a), "2 and 3 were dropped with the CHOKE");
        run.handle(new HubEvent.Left(b));
        assertEquals(List.of(new Message.Unchoke()), run.messages(a));
    }

    @Test
    void slotsRotateOnlyWhileAnyoneIsConnected() {
        HubRun run = new HubRun(settings(1), LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
        SessionId a = run.join();
        run.handle(new HubEvent.Left(a));
        run.advance(Duration.ofSeconds(5));
        long timers = run.all().stream().filter(x -> x instanceof HubAction.Schedule).count();
        assertEquals(1, timers, "the timer armed at the join fired once and was not armed again");
        SessionId b = run.join();
        SessionId c = run.join();
        run.messages(b);
        run.messages(c);
        run.advance(Duration.ofSeconds(1));
        assertEquals(List.of(new Message.Choke()), run.messages(b), "armed again by the next join");
        assertEquals(List.of(new Message.Unchoke()), run.messages(c));
    }

    // ---- initial seeding ----

    private static final Manifest TEN = Manifest.of("ten.bin", 10_000, 1000,
            Collections.nCopies(10, new byte[Sha256.LENGTH]));

    /** A hub seeding {@link #TEN} initially. */
    private static HubRun seedingTen() {
        return new HubRun(new HubSettings(8, Duration.ofSeconds(1), List.of(TokenBucket.unlimited()), true),
                LocalCopy.complete(TEN, Naming.ORIGINAL, ROOT));
    }

    @Test
    void anInitialSeederRevealsEachChunkToOnePeerAndAChunkThatWentOutRevealsTheNext() {
        HubRun run = seedingTen();
        SessionId a = run.join();
        SessionId b = run.join();
        List<Message> toA = run.messages(a);
        assertEquals(2, toA.size(), "no CHOKE: the reveals ration the upload, not the slots");
        assertEquals(Message.Bitfield.of(bits(0)), toA.get(1), "a newcomer is told of one chunk until it asks");
        assertEquals(List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, TEN.contentId()),
                Message.Bitfield.of(bits(1))), run.messages(b), "b too, another one");

        run.request(a, 0);
        List<HubAction.Send> sends = run.actions(a).stream().filter(HubAction.Send.class::isInstance)
                .map(HubAction.Send.class::cast).toList();
        BitSet toldA = haves(sends.stream().map(HubAction.Send::message).toList());
        toldA.set(0);
        assertEquals(5, toldA.cardinality(), "once it asked, a is told of up to four chunks ahead");
        assertFalse(toldA.get(1), "never of b's");
        assertEquals(List.of(), run.messages(b), "b, silent, is told of nothing more");

        // a asks for all it was told of (its connection full, they wait); b never asks for its chunk.
        run.handle(new HubEvent.WritabilityChanged(a, false));
        toldA.stream().filter(i -> i != 0).forEach(i -> run.request(a, i));
        run.advance(ServingHub.REVEAL_TIMEOUT);
        assertEquals(List.of(), run.messages(a), "b's chunk is withdrawn, but a's four fill the budget");
        run.handle(new HubEvent.WritabilityChanged(a, true));
        assertTrue(haves(run.messages(a)).get(1), "as a's chunks go out, b's withdrawn chunk goes to a");
        assertEquals(List.of(), run.messages(b), "b is stalled until it asks for something");
        run.handle(new HubEvent.Left(a));
        run.request(b, 1);
        List<HubAction> toB = run.actions(b);
        assertTrue(toB.stream().anyMatch(x -> x instanceof HubAction.SendChunk c && c.index() == 1));
        assertFalse(haves(toB.stream().filter(HubAction.Send.class::isInstance)
                .map(x -> ((HubAction.Send) x).message()).toList()).isEmpty(), "having asked, b hears of more");
    }

    @Test
    void anInitialSeederServesAChunkOutOfTurnOneAtATimeAndNoMoreThanThoseSentInTurn() {
        HubRun run = seedingTen();
        SessionId reader = run.join();
        assertEquals(Message.Bitfield.of(bits(0)), run.messages(reader).get(1));
        run.request(reader, 7, 8);
        List<HubRun.Out> sent = run.sent(reader);
        assertEquals(List.of(7), sent.stream().filter(o -> o.chunk() >= 0).map(HubRun.Out::chunk).toList(),
                "a chunk it was not told of goes out of turn");
        assertTrue(sent.stream().anyMatch(o -> o.message().orElse(null) instanceof Message.Reject r && r.index() == 8),
                "a second one is declined while none went in turn: " + sent);
        run.request(reader, 0);
        assertEquals(List.of(0), run.chunks(reader));
        run.request(reader, 8);
        assertEquals(List.of(8), run.chunks(reader), "one in turn sent: one more out of turn");
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    private static BitSet haves(List<Message> messages) {
        BitSet b = new BitSet();
        messages.stream().filter(Message.Have.class::isInstance).forEach(m -> b.set(((Message.Have) m).index()));
        return b;
    }

    @Test
    void aShareIsSeededInitiallyWhenToldBeforeAnythingWentOutAndNotAfter() {
        HubRun run = complete();
        run.handle(new HubEvent.SeedInitially());
        SessionId a = run.join();
        assertEquals(1, ((Message.Bitfield) run.messages(a).get(1)).toBitSet().cardinality(), "seeding: one revealed");

        HubRun late = complete();
        SessionId early = late.join();
        late.request(early, 0);
        late.handle(new HubEvent.SeedInitially());
        SessionId b = late.join();
        assertEquals(Message.Bitfield.of(all()), late.messages(b).get(1), "a chunk went out: a plain seeder");
    }

    // ---- upload limits ----

    /** A hub whose node upload is capped at 1000 B/s with {@code burst}, on the run's clock. */
    private static HubRun limited(long burst) {
        // Created on the hub's clock's base (the hub reserves at its clock's time).
        TokenBucket bucket = new TokenBucket(1000, burst, () -> TokenBucket.nanosOf(VirtualClock.ORIGIN));
        return new HubRun(new HubSettings(8, Duration.ofDays(1), List.of(bucket), false),
                LocalCopy.complete(MANIFEST, Naming.ORIGINAL, ROOT));
    }

    @Test
    void aChunkWaitingForTheUploadLimitCanBeCancelledAndCostsNothing() {
        HubRun run = limited(1000);
        SessionId a = run.join();
        SessionId b = run.join();
        run.request(a, 0);
        assertEquals(List.of(0), run.chunks(a), "the burst");
        run.request(b, 1);
        assertEquals(List.of(1), run.chunks(b), "the bucket was not in debt yet: a second of debt now");
        run.request(a, 2);
        assertEquals(List.of(), run.chunks(a), "waits for the debt");
        run.handle(new HubEvent.Cancelled(a, 2));
        run.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), run.chunks(a), "cancelled while waiting: never sent");
        run.request(b, 3);
        assertEquals(List.of(3), run.chunks(b), "the cancelled chunk took none of the upload: the bucket refilled");
    }

    @Test
    void aWaitingSessionSendsOnceTheDebtIsPaidAndWaitingSessionsTakeTurns() {
        HubRun run = limited(0);
        SessionId a = run.join();
        SessionId b = run.join();
        run.request(a, 0, 1, 2);
        run.request(b, 3, 4);
        assertEquals(List.of(0), run.chunks(a));
        run.advance(Duration.ofMillis(999));
        assertEquals(List.of(), run.chunks(a), "a second of debt first");
        assertEquals(List.of(), run.chunks(b));
        run.advance(Duration.ofMillis(1));
        assertEquals(List.of(3), run.chunks(b), "b, never served, before a");
        run.advance(Duration.ofSeconds(1));
        assertEquals(List.of(1), run.chunks(a));
        run.advance(Duration.ofSeconds(1));
        assertEquals(List.of(4), run.chunks(b));
    }

    // ---- peer exchange and counts ----

    @Test
    void aNewcomerLearnsWhereTheOthersServeAndTheyLearnOfIt() {
        HubRun run = complete();
        SessionId a = run.join(PeerId.UNKNOWN, servingAt(7001));
        assertEquals(2, run.messages(a).size(), "the first hears of nobody");
        SessionId quiet = run.join();
        SessionId b = run.join(PeerId.UNKNOWN, servingAt(7002));
        assertEquals(List.of(Message.Peers.of(List.of(servingAt(7002).orElseThrow()))), run.messages(a));
        assertEquals(List.of(servingAt(7001).orElseThrow()), ((Message.Peers) run.messages(quiet).get(2)).addresses());
        List<Message> toB = run.messages(b);
        assertEquals(List.of(servingAt(7001).orElseThrow()), ((Message.Peers) toB.get(2)).addresses());
        run.handle(new HubEvent.Left(a));
        SessionId c = run.join(PeerId.UNKNOWN, servingAt(7003));
        assertEquals(List.of(servingAt(7002).orElseThrow()), ((Message.Peers) run.messages(c).get(2)).addresses());
        assertEquals(List.of(Message.Peers.of(List.of(servingAt(7003).orElseThrow()))), run.messages(b));
        assertTrue(run.messages(quiet).stream().allMatch(m -> m instanceof Message.Peers), "told of b and c");
    }

    @Test
    void bytesSentAreCountedPerNodeAndPublished() {
        HubRun run = complete();
        PeerId n = node(3);
        SessionId a = run.join(n, Optional.empty());
        SessionId again = run.join(n, Optional.empty());
        run.request(a, 0, 4);
        run.request(again, 1);
        List<PeerUpload> uploads = run.hub.uploads();
        assertEquals(1, uploads.size(), "one node across its connections");
        assertEquals(2500, uploads.get(0).bytesUploaded());
        assertEquals(n, uploads.get(0).nodeId());
        assertInstanceOf(HubAction.PublishUploads.class, run.all().get(run.all().size() - 1));
        assertEquals(3, run.all().stream().filter(x -> x instanceof HubAction.PublishUploads).count(),
                "one publication per event that sent something");
    }
}
