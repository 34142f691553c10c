package dev.kadshare.transfer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SwarmTest {
    private static List<Integer> requestsTo(String peer, List<SwarmAction<String>> actions) {
        return actions.stream()
                .filter(a -> a instanceof SwarmAction.Request<String> r && r.peer().equals(peer))
                .map(a -> ((SwarmAction.Request<String>) a).index())
                .collect(Collectors.toList());
    }

    private static List<SwarmAction.Cancel<String>> cancels(List<SwarmAction<String>> actions) {
        return actions.stream().filter(a -> a instanceof SwarmAction.Cancel<String>)
                .map(a -> (SwarmAction.Cancel<String>) a).toList();
    }

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    /** A clock the test moves by hand. */
    private static final class ManualClock implements InstantSource {
        Instant now = Instant.EPOCH;

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void pipelinesUpToTheLimitPerPeerAndRefillsOnEachVerifiedChunk() {
        Swarm<String> swarm = stepped(20, 8);
        List<Integer> a = requestsTo("a", swarm.peerReady("a"));
        List<Integer> b = requestsTo("b", swarm.peerReady("b"));
        assertEquals(8, a.size());
        assertEquals(8, b.size());
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        assertEquals(16, all.size(), "no chunk asked of two peers outside the endgame");
        assertTrue(swarm.isAwaiting("a", a.get(3)));
        assertFalse(swarm.isAwaiting("b", a.get(3)));

        List<Integer> next = requestsTo("a", swarm.chunkVerified("a", a.get(3)));
        assertEquals(1, next.size());
        assertFalse(all.contains(next.get(0)));
        assertFalse(swarm.isAwaiting("a", a.get(3)));
        assertEquals(1, swarm.verifiedCount());
    }

    @Test
    void rarestChunkFirst() {
        Swarm<String> swarm = stepped(4, 1);
        swarm.peerConnecting("a");
        swarm.peerReady("b", bits(1, 2, 3)); // asked for one of 1, 2, 3 (all held by b only)
        List<Integer> toA = requestsTo("a", swarm.peerReady("a", bits(0, 1, 2, 3)));
        assertEquals(1, toA.size());
        assertEquals(0, toA.get(0), "only a holds chunk 0: it is the rarest");
    }

    @Test
    void tiesAreBrokenAtRandomButDeterministicallyBySeed() {
        Set<Integer> firsts = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            Swarm<String> swarm = clocked(64, 1, InstantSource.fixed(Instant.EPOCH), seed, Duration.ofSeconds(1));
            firsts.add(requestsTo("a", swarm.peerReady("a")).get(0));
            Swarm<String> again = clocked(64, 1, InstantSource.fixed(Instant.EPOCH), seed, Duration.ofSeconds(1));
            Swarm<String> third = clocked(64, 1, InstantSource.fixed(Instant.EPOCH), seed, Duration.ofSeconds(1));
            assertEquals(requestsTo("a", third.peerReady("a")),
                    requestsTo("a", again.peerReady("a")));
        }
        assertTrue(firsts.size() > 5, "first picks spread over the chunks: " + firsts);
    }

    @Test
    void onlyChunksThePeerHoldsAreRequestedAndHaveAddsMore() {
        Swarm<String> swarm = stepped(10, 8);
        assertEquals(List.of(3), requestsTo("a", swarm.peerReady("a", bits(3))));
        assertEquals(List.of(7), requestsTo("a", swarm.peerHave("a", 7)));
        assertEquals(List.of(), requestsTo("a", swarm.peerHave("a", 7)), "a repeated HAVE changes nothing");
    }

    @Test
    void completesOnceWhenEveryChunkIsVerified() {
        Swarm<String> swarm = stepped(3, 8);
        swarm.peerReady("a");
        swarm.chunkVerified("a", 0);
        swarm.chunkVerified("a", 2);
        List<SwarmAction<String>> last = swarm.chunkVerified("a", 1);
        assertEquals(List.of(new SwarmAction.Complete<String>()), last);
        assertTrue(swarm.isComplete());
        assertEquals(List.of(), swarm.peerLost("a"), "nothing after the end");
    }

    @Test
    void resumedChunksAreNeverRequested() {
        Swarm<String> swarm = stepped(4, 8, bits(0, 2));
        List<Integer> asked = requestsTo("a", swarm.peerReady("a"));
        assertEquals(Set.of(1, 3), new HashSet<>(asked));
    }

    @Test
    void zeroChunksCompleteOnTheFirstEvent() {
        Swarm<String> swarm = stepped(0, 8);
        assertEquals(List.of(new SwarmAction.Complete<String>()), swarm.peerReady("a"));
    }

    @Test
    void badChunkDropsItsSenderAndIsRequestedFromAnotherPeer() {
        Swarm<String> swarm = stepped(4, 2);
        List<Integer> bad = requestsTo("bad", swarm.peerReady("bad"));
        List<Integer> good = requestsTo("good", swarm.peerReady("good"));
        List<SwarmAction<String>> actions = swarm.chunkFailed("bad", bad.get(0));
        assertInstanceOf(SwarmAction.Drop.class, actions.get(0));
        assertEquals("bad", ((SwarmAction.Drop<String>) actions.get(0)).peer());
        assertTrue(swarm.isDropped("bad"));
        assertFalse(swarm.isAwaiting("bad", bad.get(1)), "the dropped peer's other in-flight chunk is back in the pool");

        // good is full (2 in flight): the returned chunks wait for it to free a slot.
        assertEquals(List.of(), requestsTo("good", actions));
        List<Integer> refill = requestsTo("good", swarm.chunkVerified("good", good.get(0)));
        refill.addAll(requestsTo("good", swarm.chunkVerified("good", good.get(1))));
        assertEquals(new HashSet<>(bad), new HashSet<>(refill));

        // The dropped peer is never asked again, even if it reconnects.
        assertEquals(List.of(), requestsTo("bad", swarm.peerReady("bad")));
    }

    @Test
    void disconnectReturnsInFlightChunksToThePool() {
        Swarm<String> swarm = stepped(6, 3);
        List<Integer> a = requestsTo("a", swarm.peerReady("a"));
        List<Integer> b = requestsTo("b", swarm.peerReady("b"));
        // b's verified chunk leaves a slot; the pool is empty, so the endgame duplicates one of a's.
        List<Integer> dup = requestsTo("b", swarm.chunkVerified("b", b.get(0)));
        assertEquals(1, dup.size());
        assertTrue(a.contains(dup.get(0)));
        List<SwarmAction<String>> actions = swarm.peerLost("a");
        assertFalse(swarm.isAwaiting("a", a.get(1)));
        assertEquals(0, requestsTo("b", actions).size(), "b is full again");
        Set<Integer> later = new HashSet<>(requestsTo("b", swarm.chunkVerified("b", b.get(1))));
        later.addAll(requestsTo("b", swarm.chunkVerified("b", b.get(2))));
        Set<Integer> expected = new HashSet<>(a);
        expected.remove(dup.get(0));
        assertEquals(expected, later, "a's other chunks went back to the pool");
    }

    @Test
    void endgameAsksSeveralPeersAndCancelsTheDuplicates() {
        Swarm<String> swarm = stepped(2, 4);
        List<Integer> a = requestsTo("a", swarm.peerReady("a"));
        assertEquals(2, a.size());
        List<Integer> b = requestsTo("b", swarm.peerReady("b"));
        assertEquals(Set.of(0, 1), new HashSet<>(b), "endgame: b duplicates a's requests");
        List<SwarmAction<String>> actions = swarm.chunkVerified("b", 0);
        assertEquals(List.of(new SwarmAction.Cancel<>("a", 0)), cancels(actions));
        assertFalse(swarm.isAwaiting("a", 0));
        assertTrue(swarm.takeCancelled("a", 0), "a late copy from a is expected");
        assertFalse(swarm.takeCancelled("a", 0), "but only once");
    }

    @Test
    void stalledRequestGoesToAnotherPeerAfterTheTimeout() {
        ManualClock clock = new ManualClock();
        Swarm<String> swarm = clocked(1, 1, clock, 1, Duration.ofSeconds(5));
        assertEquals(List.of(0), requestsTo("slow", swarm.peerReady("slow")));
        swarm.peerReady("fast"); // endgame duplicate right away: 0 to fast as well
        clock.now = Instant.EPOCH.plusSeconds(4);
        assertEquals(List.of(), cancels(swarm.checkTimeouts()));
        clock.now = Instant.EPOCH.plusSeconds(6);
        List<SwarmAction<String>> actions = swarm.checkTimeouts();
        assertTrue(cancels(actions).contains(new SwarmAction.Cancel<>("slow", 0)));
        assertFalse(swarm.isAwaiting("slow", 0));
        assertEquals(List.of(), requestsTo("slow", actions), "not asked of the slow peer again");
    }

    @Test
    void rejectedChunkGoesElsewhere() {
        Swarm<String> swarm = stepped(1, 1);
        assertEquals(List.of(0), requestsTo("a", swarm.peerReady("a")));
        swarm.peerConnecting("b");
        List<SwarmAction<String>> none = swarm.chunkRejected("a", 0);
        assertEquals(List.of(), requestsTo("a", none));
        assertEquals(List.of(0), requestsTo("b", swarm.peerReady("b")));
    }

    @Test
    void failsWhenNoUsablePeerIsLeft() {
        Swarm<String> swarm = stepped(2, 8);
        swarm.peerConnecting("a");
        swarm.peerReady("b");
        assertEquals(List.of(), swarm.peerLost("a"));
        List<SwarmAction<String>> actions = swarm.chunkFailed("b", 0);
        assertInstanceOf(SwarmAction.Fail.class, actions.get(actions.size() - 1));
        assertEquals(List.of(), swarm.peerReady("c"), "nothing after the end");
    }

    @Test
    void lostPeerMayComeBack() {
        Swarm<String> swarm = stepped(2, 8);
        swarm.peerReady("a");
        swarm.peerConnecting("b");
        swarm.peerLost("a");
        swarm.peerConnecting("a");
        assertEquals(Set.of(0, 1), new HashSet<>(requestsTo("a", swarm.peerReady("a"))));
        assertNotEquals(0, swarm.chunkCount());
    }

    @Test
    void aChokedPeerIsAskedNothingUntilItUnchokes() {
        Swarm<String> swarm = stepped(4, 2);
        List<Integer> a = requestsTo("a", swarm.peerReady("a"));
        swarm.peerConnecting("b");
        List<SwarmAction<String>> choked = swarm.peerChoked("a");
        assertEquals(List.of(), requestsTo("a", choked));
        assertTrue(swarm.takeCancelled("a", a.get(0)), "what was on its way may still arrive");
        List<Integer> b = requestsTo("b", swarm.peerReady("b"));
        assertEquals(2, b.size());
        assertEquals(2, requestsTo("a", swarm.peerUnchoked("a")).size());
    }

    @Test
    void aChunkAskedAgainAfterAChokeAndThenCancelledMayArriveTwice() {
        Swarm<String> swarm = stepped(1, 1);
        assertEquals(List.of(0), requestsTo("a", swarm.peerReady("a")));
        swarm.peerChoked("a"); // its server may have handed chunk 0 to the socket already
        assertEquals(List.of(0), requestsTo("a", swarm.peerUnchoked("a")), "asked again once unchoked");
        assertEquals(List.of(new SwarmAction.Cancel<>("a", 0)), cancels(swarm.chunkVerified("b", 0)));
        assertTrue(swarm.takeCancelled("a", 0), "the copy on its way before the CHOKE is expected");
        assertTrue(swarm.takeCancelled("a", 0), "so is the one asked for after it");
        assertFalse(swarm.takeCancelled("a", 0), "but no third");
    }

    /** What a run against one {@link FifoPeer} showed: the most requests outstanding at once, and when it ended. */
    private record PeerRun(int maxOutstanding, Duration took) {
    }

    /**
     * One peer that answers our requests in order, {@code service} each, {@code roundTrip} away; a swarm with a
     * clock and a cap of 8 downloads {@code chunks} from it. Every step is one answer, so the loop is bounded.
     */
    private static PeerRun fifoPeer(Duration roundTrip, Duration service, int chunks) {
        record Answer(Instant at, int index) {
        }
        ManualClock clock = new ManualClock();
        Swarm<String> swarm = clocked(chunks, 8, clock, 1, Duration.ofHours(1));
        java.util.PriorityQueue<Answer> answers = new java.util.PriorityQueue<>(java.util.Comparator.comparing(Answer::at));
        Duration oneWay = roundTrip.dividedBy(2);
        Instant[] peerFree = {Instant.EPOCH};
        int[] outstanding = {0, 0};
        java.util.function.Consumer<List<SwarmAction<String>>> send = actions -> {
            for (int index : requestsTo("p", actions)) {
                Instant start = Collections.max(List.of(clock.now.plus(oneWay), peerFree[0]));
                peerFree[0] = start.plus(service);
                answers.add(new Answer(peerFree[0].plus(oneWay), index));
                outstanding[1] = Math.max(outstanding[1], ++outstanding[0]);
            }
        };
        send.accept(swarm.peerReady("p"));
        for (int step = 0; step < chunks && !answers.isEmpty(); step++) {
            Answer next = answers.poll();
            clock.now = next.at();
            outstanding[0]--;
            send.accept(swarm.chunkVerified("p", next.index()));
        }
        assertTrue(swarm.isComplete());
        return new PeerRun(outstanding[1], Duration.between(Instant.EPOCH, clock.now));
    }

    @Test
    void aSlowPeerGetsOneRequestAheadAndIsNeverIdle() {
        Duration service = Duration.ofMillis(1700); // a 256 KiB chunk at 1.25 Mbit/s: the peer's share for us
        PeerRun run = fifoPeer(Duration.ofMillis(100), service, 40);
        assertEquals(2, run.maxOutstanding(), "a deeper queue would only hold chunks hostage");
        assertTrue(run.took().compareTo(service.multipliedBy(40).plusMillis(100 + 100)) <= 0,
                "the peer only waited for the first request and the second: " + run.took());
    }

    @Test
    void aFastPeerGetsTheFullPipeline() {
        PeerRun run = fifoPeer(Duration.ofNanos(100_000), Duration.ofMillis(1), 200); // 1 MiB at 1 GB/s
        assertEquals(8, run.maxOutstanding());
    }

    @Test
    void aLongFatLinkGetsItsBandwidthDelayProduct() {
        // 1 MiB chunks at 100 MB/s, 50 ms away: five chunks cover a round trip
        PeerRun run = fifoPeer(Duration.ofMillis(50), Duration.ofMillis(10), 400);
        assertEquals(8, run.maxOutstanding(), "at least 6 + 1, or the 10 a tenth of a second takes, capped");
        assertTrue(run.took().compareTo(Duration.ofMillis(400 * 10 + 500)) <= 0,
                "idle only while the depth grows from 1, under ten round trips: " + run.took());
    }

    @Test
    void theCapAcrossPeersHoldsAndAFreedSlotGoesToThePeerWithFewestThenTheLeastRecentlyAsked() {
        Swarm<String> swarm = new Swarm<>(100, 8, 2, new BitSet(), new ManualClock(), new SplittableRandom(1),
                Duration.ofSeconds(20));
        List<Integer> a = requestsTo("a", swarm.peerReady("a"));
        List<Integer> b = requestsTo("b", swarm.peerReady("b"));
        assertEquals(1, a.size());
        assertEquals(1, b.size());
        assertEquals(List.of(), requestsTo("c", swarm.peerReady("c")), "the cap of 2 is taken");
        assertEquals(2, swarm.inFlight());

        List<SwarmAction<String>> afterA = swarm.chunkVerified("a", a.get(0));
        assertEquals(1, requestsTo("c", afterA).size(), "c had nothing outstanding and was never asked: " + afterA);
        assertEquals(List.of(), requestsTo("a", afterA));
        List<SwarmAction<String>> afterB = swarm.chunkVerified("b", b.get(0));
        assertEquals(1, requestsTo("a", afterB).size(), "a and b both have none; a was asked longer ago: " + afterB);
        assertEquals(2, swarm.inFlight());
    }

    @Test
    void theCountInFlightMatchesTheRequestsThroughEveryKindOfEvent() {
        int chunks = 300;
        int cap = 6;
        ManualClock clock = new ManualClock();
        SplittableRandom random = new SplittableRandom(7);
        Swarm<String> swarm = new Swarm<>(chunks, 4, cap, new BitSet(), clock, new SplittableRandom(3),
                Duration.ofSeconds(2));
        List<String> names = List.of("a", "b", "c", "d");
        names.forEach(swarm::peerConnecting);
        int timedOut = 0;
        int most = 0;
        for (int step = 0; step < 3000 && !swarm.isComplete(); step++) {
            String peer = names.get(random.nextInt(names.size()));
            List<Integer> awaited = new java.util.ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                if (swarm.isAwaiting(peer, i)) {
                    awaited.add(i);
                }
            }
            int any = awaited.isEmpty() ? random.nextInt(chunks) : awaited.get(random.nextInt(awaited.size()));
            int event = random.nextInt(20);
            if (event == 0) {
                BitSet half = new BitSet();
                random.ints(chunks / 2, 0, chunks).forEach(half::set);
                swarm.peerReady(peer, half);
            } else if (event == 1) {
                swarm.peerLost(peer);
                swarm.peerConnecting(peer); // dialled again: the swarm never runs out of peers
            } else if (event == 2) {
                swarm.peerChoked(peer);
                swarm.peerUnchoked(peer);
            } else if (event <= 5) {
                swarm.peerHave(peer, random.nextInt(chunks));
            } else if (event <= 11) {
                swarm.chunkVerified(peer, any);
            } else if (event == 12) {
                swarm.chunkRejected(peer, any);
            } else {
                clock.now = clock.now.plusMillis(random.nextInt(1000));
                timedOut += cancels(swarm.checkTimeouts()).size();
            }
            int requests = 0;
            for (String p : names) {
                for (int i = 0; i < chunks; i++) {
                    requests += swarm.isAwaiting(p, i) ? 1 : 0;
                }
            }
            assertEquals(requests, swarm.inFlight(), "after step " + step);
            assertTrue(swarm.inFlight() <= cap, "after step " + step + ": " + swarm.inFlight());
            most = Math.max(most, swarm.inFlight());
        }
        assertEquals(cap, most, "the walk reached the cap");
        assertTrue(timedOut > 10, "the walk timed requests out too: " + timedOut);
    }

    @Test
    void onlyAPeerNeitherReadyNorDroppedIsForgotten() {
        Swarm<String> swarm = stepped(4, 2);
        List<Integer> asked = requestsTo("keeper", swarm.peerReady("keeper"));
        swarm.peerForgotten("keeper");
        assertTrue(swarm.isAwaiting("keeper", asked.get(0)), "a ready peer keeps its requests");
        swarm.peerMisbehaved("bad", "garbage");
        swarm.peerForgotten("bad");
        assertTrue(swarm.isDropped("bad"));
        assertEquals(List.of(), requestsTo("bad", swarm.peerReady("bad")), "a dropped peer is never forgotten");
        swarm.peerConnecting("gone");
        swarm.peerLost("gone");
        assertEquals(List.of(), swarm.peerForgotten("gone"), "forgetting a lost peer asks nothing of anyone");
    }

    @Test
    void withAFixedDepthEveryPeerGetsTheMaximumAtOnce() {
        assertEquals(8, requestsTo("a", stepped(20, 8).peerReady("a")).size());
        Swarm<String> timed = clocked(20, 8, new ManualClock(), 1, Duration.ofSeconds(20));
        assertEquals(1, requestsTo("a", timed.peerReady("a")).size(), "one until the peer's pace is known");
    }

    /**
     * A swarm stepped by hand: always the full depth at each peer ({@link Pipelining#FIXED}), no cap across peers,
     * and a clock that never moves, so no request ever times out.
     */
    private static Swarm<String> stepped(int chunks, int perPeer) {
        return stepped(chunks, perPeer, new BitSet());
    }

    private static Swarm<String> stepped(int chunks, int perPeer, BitSet alreadyVerified) {
        return new Swarm<>(chunks, perPeer, Integer.MAX_VALUE, alreadyVerified, InstantSource.fixed(Instant.EPOCH),
                new SplittableRandom(0), Duration.ofDays(365), Pipelining.FIXED);
    }

    /** A swarm with a clock (adaptive depth, timeouts) and no cap across peers. */
    private static Swarm<String> clocked(int chunks, int perPeer, InstantSource clock, long seed, Duration timeout) {
        return new Swarm<>(chunks, perPeer, Integer.MAX_VALUE, new BitSet(), clock, new SplittableRandom(seed), timeout);
    }
}
