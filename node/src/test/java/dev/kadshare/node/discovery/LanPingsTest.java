package dev.kadshare.node.discovery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class LanPingsTest {
    private static final InetAddress FORGER = InetAddress.getLoopbackAddress();

    /**
     * A LAN host names a made-up port per announcement, each a "new" neighbour pinged into the DHT: the real neighbour
     * heard after {@link LanPings#MAX} of them is pinged too, once, and the flood's oldest is what was forgotten.
     */
    @Test
    void aRealNeighbourHeardAfterAFloodOfForgedOnesIsStillPinged() throws Exception {
        LanPings pings = new LanPings();
        for (int port = 1; port <= LanPings.MAX; port++) {
            assertTrue(pings.firstPing(new InetSocketAddress(FORGER, port)));
        }
        InetSocketAddress neighbour = new InetSocketAddress(InetAddress.getByName("127.0.0.12"), 7700);

        assertTrue(pings.firstPing(neighbour), "heard after the flood");
        assertFalse(pings.firstPing(neighbour), "pinged once");
        assertFalse(pings.firstPing(new InetSocketAddress(FORGER, LanPings.MAX)), "the newest are remembered");
        assertTrue(pings.firstPing(new InetSocketAddress(FORGER, 1)), "the oldest made room");
    }
}
