package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.LinkKey;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A peer's link key is the one most answers gave: one lying storer does not override the others. */
class LinkKeyTallyTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.1", 7000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("10.0.0.2", 7000);

    private static LinkKey key(int b) {
        byte[] bytes = new byte[LinkKey.BYTES];
        Arrays.fill(bytes, (byte) b);
        return LinkKey.of(bytes);
    }

    @Test
    void theMajorityKeyWinsAndTheFirstOnATie() {
        LinkKeyTally tally = new LinkKeyTally();
        tally.add(AnnouncedPeer.of(PEER, Optional.of(key(6)))); // a liar answers first
        tally.add(AnnouncedPeer.of(PEER, Optional.of(key(1))));
        tally.add(AnnouncedPeer.of(PEER, Optional.of(key(1))));
        tally.add(AnnouncedPeer.of(PEER)); // an answer without a key is no vote
        tally.add(AnnouncedPeer.of(OTHER, Optional.of(key(2))));
        tally.add(AnnouncedPeer.of(OTHER, Optional.of(key(3))));
        assertEquals(Map.of(PEER, key(1), OTHER, key(2)), tally.of(Set.of(PEER, OTHER)));
        assertEquals(Map.of(), tally.of(Set.of(new InetSocketAddress("10.0.0.3", 1))), "only the peers asked about");
    }
}
