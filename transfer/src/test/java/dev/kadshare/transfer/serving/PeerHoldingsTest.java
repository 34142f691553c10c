package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import java.nio.ByteBuffer;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class PeerHoldingsTest {
    private static PeerId node(int n) {
        return PeerId.of(Sha256.of(ByteBuffer.allocate(4).putInt(0, n).array()));
    }

    @Test
    void recordsBitfieldsAndHavesByNodeWithinTheChunkCount() {
        PeerHoldings holdings = new PeerHoldings(10);
        BitSet first = new BitSet();
        first.set(2);
        first.set(40); // past the chunk count: not recorded
        holdings.holdsAll(node(1), first);
        holdings.holds(node(1), 3);
        holdings.holds(node(1), 10);
        assertTrue(holdings.isHeldBy(node(1), 2));
        assertTrue(holdings.isHeldBy(node(1), 3));
        assertFalse(holdings.isHeldBy(node(1), 40));
        assertFalse(holdings.isHeldBy(node(1), 10));
        assertFalse(holdings.isHeldBy(node(2), 2));
        holdings.holds(PeerId.UNKNOWN, 4);
        assertFalse(holdings.isHeldBy(PeerId.UNKNOWN, 4), "a peer without an id is never spared a HAVE");
    }

    @Test
    void aPeerNamingItselfAnewEachTimeFillsOnlyUpToTheCap() {
        PeerHoldings holdings = new PeerHoldings(4);
        for (int n = 0; n < PeerHoldings.MAX_NODES + 50; n++) {
            holdings.holds(node(n), 1);
        }
        assertTrue(holdings.isHeldBy(node(PeerHoldings.MAX_NODES - 1), 1));
        assertFalse(holdings.isHeldBy(node(PeerHoldings.MAX_NODES), 1), "past the cap nothing new is kept");
        holdings.holds(node(0), 2);
        assertTrue(holdings.isHeldBy(node(0), 2), "a node already known is still followed");
    }
}
