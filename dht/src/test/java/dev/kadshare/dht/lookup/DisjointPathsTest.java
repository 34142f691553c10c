package dev.kadshare.dht.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A lookup over disjoint paths (S/Kademlia) against a liar among its first contacts that answers with made-up contacts
 * ever closer to the target, who lie the same way: one path is led astray, the others still reach the honest holders.
 */
class DisjointPathsTest {
    private static final int K = 8;
    private static final int ALPHA = 3;
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 6881);

    private final SplittableRandom random = new SplittableRandom(23);
    private final NodeId self = NodeId.random(random);
    private final NodeId target = NodeId.random(random);
    private final List<Contact> honest = new ArrayList<>();
    /** Every contact a liar made up: they answer as liars do. */
    private final Set<NodeId> liars = new HashSet<>();

    DisjointPathsTest() {
        for (int i = 0; i < 300; i++) {
            honest.add(new Contact(NodeId.random(random), new InetSocketAddress("10.0." + (i / 200) + "." + (i % 200), 4000)));
        }
    }

    /** Honest nodes name the K + 4 closest honest ones; the K closest hold the peer. */
    private LookupAnswer honestAnswer(Contact from) {
        List<Contact> closest = honest.stream().sorted(Contact.byDistanceTo(target)).toList();
        boolean holder = closest.subList(0, K).contains(from);
        return new LookupAnswer(closest.subList(0, K + 4), holder ? List.of(PEER) : List.of(),
                Optional.of(WriteToken.of(new byte[] {1})));
    }

    /** A liar names K made-up contacts closer to the target than itself (sharing one more leading byte), no peers. */
    private LookupAnswer lie(Contact from) {
        int shared = 0;
        byte[] t = target.bytes();
        byte[] f = from.id().bytes();
        while (shared < 30 && t[shared] == f[shared]) {
            shared++;
        }
        List<Contact> fakes = new ArrayList<>();
        for (int i = 0; i < K; i++) {
            byte[] id = new byte[NodeId.BYTES];
            random.nextBytes(id);
            System.arraycopy(t, 0, id, 0, shared + 1);
            NodeId fake = NodeId.of(id);
            liars.add(fake);
            fakes.add(new Contact(fake, new InetSocketAddress("203.0.113." + (1 + random.nextInt(250)), 4000)));
        }
        return new LookupAnswer(fakes, List.of(), Optional.of(WriteToken.of(new byte[] {2})));
    }

    /** Runs a lookup from a liar and two honest contacts; answers come back in the order asked (liars are quick). */
    private Lookup run(int paths) {
        // The liar is the closest seed: a plain lookup spends every slot on what it names.
        List<Contact> seeds = new ArrayList<>(honest.stream().sorted(Contact.byDistanceTo(target).reversed()).limit(2).toList());
        seeds.add(liarNearTheTarget());
        Lookup lookup = new Lookup(target, self, seeds, K, ALPHA, new Lookup.Goal.Peers(50), Lookup.Bounds.DEFAULT, paths);
        Set<NodeId> queried = new HashSet<>();
        Deque<Contact> inFlight = new ArrayDeque<>();
        for (int step = 0; step < 10_000 && !lookup.isFinished(); step++) {
            for (Contact c : lookup.nextQueries()) {
                assertTrue(queried.add(c.id()), "queried twice: " + c);
                inFlight.add(c);
            }
            // One path keeps alpha in flight; several keep 2 each.
            assertTrue(lookup.inFlight() <= (paths == 1 ? ALPHA : 2 * paths), "in flight: " + lookup.inFlight());
            if (inFlight.isEmpty()) {
                break;
            }
            Contact next = inFlight.pollFirst();
            lookup.onAnswer(next, liars.contains(next.id()) ? lie(next) : honestAnswer(next));
        }
        assertTrue(lookup.isFinished(), "the lookup finished");
        assertTrue(lookup.queried() <= Lookup.Bounds.DEFAULT.maxQueries());
        return lookup;
    }

    /** A liar sharing the target's first byte: closer to it than the honest seeds. */
    private Contact liarNearTheTarget() {
        byte[] id = target.bytes();
        id[1] ^= 0x40;
        NodeId near = NodeId.of(id);
        liars.add(near);
        return new Contact(near, new InetSocketAddress("203.0.113.1", 4000));
    }

    @Test
    void aPlainLookupFollowsTheLiarAndMissesThePeer() {
        Lookup lookup = run(1);
        assertFalse(lookup.peers().contains(PEER), "one path: the liar's made-up contacts took every slot");
    }

    @Test
    void disjointPathsStillReachTheHonestHolders() {
        Lookup lookup = run(3);
        assertEquals(Set.of(PEER), lookup.peers(), "the honest paths reached the holders");
        // The liar's path never runs out of closer made-up contacts: that path ends at a bound, as one lookup did before.
        assertTrue(lookup.hops() >= 2);
    }
}
