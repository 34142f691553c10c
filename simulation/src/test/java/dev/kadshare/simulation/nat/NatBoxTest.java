package dev.kadshare.simulation.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.nat.NatBox.Protocol;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NatBoxTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress A = new InetSocketAddress("10.1.0.0", 6881);
    private static final InetSocketAddress B = new InetSocketAddress("10.2.0.0", 6881);

    @Test
    void portPreservingKeepsThePortForEveryDestinationAndAdmitsOnlyWhomItSentTo() {
        NatBox nat = new NatBox(NatKind.PORT_PRESERVING, new SplittableRandom(1));
        assertEquals(6881, nat.outbound(Protocol.UDP, 6881, A, 0));
        assertEquals(6881, nat.outbound(Protocol.UDP, 6881, B, 0));
        assertTrue(nat.admits(Protocol.UDP, 6881, A, SECOND));
        assertFalse(nat.admits(Protocol.UDP, 6881, new InetSocketAddress("10.1.0.0", 6882), SECOND), "another port");
        assertFalse(nat.admits(Protocol.TCP, 6881, A, SECOND), "another protocol");
        assertFalse(nat.admits(Protocol.UDP, 6881, new InetSocketAddress("10.3.0.0", 6881), SECOND), "unasked");
    }

    @Test
    void symmetricPicksAPortPerDestination() {
        NatBox nat = new NatBox(NatKind.SYMMETRIC, new SplittableRandom(1));
        int toA = nat.outbound(Protocol.UDP, 6881, A, 0);
        int toB = nat.outbound(Protocol.UDP, 6881, B, 0);
        assertNotEquals(toA, toB);
        assertEquals(toA, nat.outbound(Protocol.UDP, 6881, A, SECOND), "a live flow keeps its port");
        assertTrue(nat.admits(Protocol.UDP, toA, A, SECOND));
        assertFalse(nat.admits(Protocol.UDP, toA, B, SECOND), "B may only answer on its own port");
        assertFalse(nat.admits(Protocol.UDP, 6881, A, SECOND), "the host's own port is not open");
    }

    @Test
    void aFlowDiesAfter30sUnansweredOr120sAfterItsLastPacketOnceAnswered() {
        NatBox nat = new NatBox(NatKind.PORT_PRESERVING, new SplittableRandom(1));
        nat.outbound(Protocol.UDP, 6881, A, 0);
        assertFalse(nat.admits(Protocol.UDP, 6881, A, 31 * SECOND), "unanswered for 31 s");
        nat.outbound(Protocol.UDP, 6881, B, 40 * SECOND);
        assertTrue(nat.admits(Protocol.UDP, 6881, B, 41 * SECOND));
        assertTrue(nat.admits(Protocol.UDP, 6881, B, 150 * SECOND), "answered: 109 s since its last packet");
        assertFalse(nat.admits(Protocol.UDP, 6881, B, 271 * SECOND), "121 s since its last packet");
    }
}
