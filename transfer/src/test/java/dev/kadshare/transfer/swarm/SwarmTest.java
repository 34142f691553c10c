package dev.kadshare.transfer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SwarmTest {
    private static List<Integer> requestsTo(String peer, List<SwarmAction<String>> actions) {
        return actions.stream()
                .filter(a -> a instanceof SwarmAction.Request<String> r && r.peer().equals(peer))
                .map(a -> ((SwarmAction.Request<String>) a).index())
                .collect(Collectors.toList());
    }

    @Test
    void pipelinesUpToTheLimitPerPeerAndRefillsOnEachVerifiedChunk() {
        Swarm<String> swarm = new Swarm<>(20, 8);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), requestsTo("a", swarm.peerReady("a")));
        assertEquals(List.of(8, 9, 10, 11, 12, 13, 14, 15), requestsTo("b", swarm.peerReady("b")));
        assertTrue(swarm.isAwaiting("a", 3));
        assertFalse(swarm.isAwaiting("b", 3));

        assertEquals(List.of(16), requestsTo("a", swarm.chunkVerified("a", 3)));
        assertFalse(swarm.isAwaiting("a", 3));
        assertEquals(1, swarm.verifiedCount());
    }

    @Test
    void completesOnceWhenEveryChunkIsVerified() {
        Swarm<String> swarm = new Swarm<>(3, 8);
        swarm.peerReady("a");
        swarm.chunkVerified("a", 0);
        swarm.chunkVerified("a", 2);
        List<SwarmAction<String>> last = swarm.chunkVerified("a", 1);
        assertEquals(List.of(new SwarmAction.Complete<String>()), last);
        assertTrue(swarm.isComplete());
        assertEquals(List.of(), swarm.peerLost("a"), "nothing after the end");
    }

    @Test
    void zeroChunksCompleteOnTheFirstEvent() {
        Swarm<String> swarm = new Swarm<>(0, 8);
        assertEquals(List.of(new SwarmAction.Complete<String>()), swarm.peerReady("a"));
    }

    @Test
    void badChunkDropsItsSenderAndIsRequestedFromAnotherPeer() {
        Swarm<String> swarm = new Swarm<>(4, 2);
        swarm.peerReady("bad");   // 0, 1
        swarm.peerReady("good");  // 2, 3
        List<SwarmAction<String>> actions = swarm.chunkFailed("bad", 0);
        assertInstanceOf(SwarmAction.Drop.class, actions.get(0));
        assertEquals("bad", ((SwarmAction.Drop<String>) actions.get(0)).peer());
        assertTrue(swarm.isDropped("bad"));
        assertFalse(swarm.isAwaiting("bad", 1), "the dropped peer's other in-flight chunk is back in the pool");

        // good is full (2 in flight): the returned chunks wait for it to free a slot.
        assertEquals(List.of(), requestsTo("good", actions));
        assertEquals(List.of(0), requestsTo("good", swarm.chunkVerified("good", 2)));
        assertEquals(List.of(1), requestsTo("good", swarm.chunkVerified("good", 3)));

        // The dropped peer is never asked again, even if it reconnects.
        assertEquals(List.of(), requestsTo("bad", swarm.peerReady("bad")));
        assertEquals(List.of(), requestsTo("bad", swarm.peerLost("good")));
    }

    @Test
    void disconnectReturnsInFlightChunksToThePool() {
        Swarm<String> swarm = new Swarm<>(6, 3);
        swarm.peerReady("a"); // 0, 1, 2
        swarm.peerReady("b"); // 3, 4, 5
        swarm.chunkVerified("b", 3);
        // b now has a free slot but the pool is empty: a holds 0, 1, 2.
        List<SwarmAction<String>> actions = swarm.peerLost("a");
        assertEquals(List.of(0), requestsTo("b", actions), "a's chunks go back and fill b's free slot");
        assertFalse(swarm.isAwaiting("a", 1));
        assertEquals(List.of(1), requestsTo("b", swarm.chunkVerified("b", 4)));
        assertEquals(List.of(2), requestsTo("b", swarm.chunkVerified("b", 5)));
    }

    @Test
    void failsWhenNoUsablePeerIsLeft() {
        Swarm<String> swarm = new Swarm<>(2, 8);
        swarm.peerConnecting("a");
        swarm.peerReady("b");
        assertEquals(List.of(), swarm.peerLost("a"));
        List<SwarmAction<String>> actions = swarm.chunkFailed("b", 0);
        assertInstanceOf(SwarmAction.Fail.class, actions.get(actions.size() - 1));
        assertEquals(List.of(), swarm.peerReady("c"), "nothing after the end");
    }

    @Test
    void lostPeerMayComeBack() {
        Swarm<String> swarm = new Swarm<>(2, 8);
        swarm.peerReady("a");
        swarm.peerConnecting("b");
        swarm.peerLost("a");
        swarm.peerConnecting("a");
        assertEquals(List.of(0, 1), requestsTo("a", swarm.peerReady("a")));
    }
}
