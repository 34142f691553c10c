package dev.kadshare.transfer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PipelineDepthTest {
    private static Instant at(double seconds) {
        return Instant.EPOCH.plusNanos(Math.round(seconds * 1e9));
    }

    /** A peer answering one request every {@code interval} s, each queued behind {@code ahead} of ours. */
    private static void pipelined(PipelineDepth depth, double start, double interval, int ahead, int answers) {
        for (int i = 1; i <= answers; i++) {
            double now = start + i * interval;
            depth.answered(at(now - (ahead + 1) * interval), at(now), false);
        }
    }

    @Test
    void oneRequestUntilTheFirstAnswer() {
        assertEquals(1, new PipelineDepth(8).depth());
    }

    @Test
    void aPeerThatServesOthersBetweenOurChunksGetsOneRequest() {
        PipelineDepth depth = new PipelineDepth(8);
        depth.answered(at(0), at(1.0), true); // alone: answered in 1 s
        assertEquals(2, depth.depth(), "one answer per round trip, and the slack: grow");
        pipelined(depth, 1.0, 1.7, 1, 50); // yet a second request only brings one answer every 1.7 s
        assertEquals(1, depth.depth(), "a request answered within the peer's pace needs nobody queued behind it");
    }

    @Test
    void aFastPeerGetsTheCapThoughItsRoundTripIsShort() {
        PipelineDepth depth = new PipelineDepth(8);
        depth.answered(at(0), at(0.002), true);
        pipelined(depth, 0.002, 0.001, 1, 50); // 1,000 chunks a second
        assertEquals(8, depth.depth(), "a request waits at most a few ms however deep: batching is free");
    }

    @Test
    void waitingBehindOurOwnRequestsIsNotRoundTrip() {
        PipelineDepth depth = new PipelineDepth(8);
        depth.answered(at(0), at(0.1), true);
        pipelined(depth, 0.1, 1.0, 5, 50); // each answer took 6 s, 5 of them behind our earlier requests
        assertEquals(1, depth.depth(), "rate x round trip is 0.1 chunks, not 6");
    }

    @Test
    void aFasterQueuedAnswerLowersTheRoundTrip() {
        PipelineDepth depth = new PipelineDepth(8);
        depth.answered(at(0), at(3.0), true); // a slow first answer (a cold peer)
        pipelined(depth, 3.0, 0.5, 1, 50); // each answered 1 s after it was sent, though queued behind another
        assertEquals(3, depth.depth(), "round trip 1 s, not 3, at two answers a second: 2 cover it, plus the slack");
    }

    @Test
    void neverAboveTheCap() {
        PipelineDepth depth = new PipelineDepth(3);
        depth.answered(at(0), at(10), true);
        pipelined(depth, 10, 0.5, 2, 50); // 1.5 s round trips at 2 answers a second: 4 would cover it
        assertEquals(3, depth.depth());
    }
}
