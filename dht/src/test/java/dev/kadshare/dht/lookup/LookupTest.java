package dev.kadshare.dht.lookup;

import static org.junit.jupiter.api.Assertions.*;

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

class LookupTest {
    private static final int K = 8;
    private static final int ALPHA = 3;

    /**
     * A fake network: 200 contacts, each answering with the K + 4 closest to the target among all, so
     * that when up to 4 of them are dead the K closest live ones can still be learnt.
     */
    private final SplittableRandom random = new SplittableRandom(17);
    private final List<Contact> network = new ArrayList<>();
    private final NodeId self = NodeId.random(random);

    LookupTest() {
        for (int i = 0; i < 200; i++) {
            network.add(new Contact(NodeId.random(random), new InetSocketAddress("127.0.0.1", 10_000 + i)));
        }
    }

    private List<Contact> closestInNetwork(NodeId target, int n, Set<NodeId> excluding) {
        return network.stream().filter(c -> !excluding.contains(c.id()))
                .sorted(Contact.byDistanceTo(target)).limit(n).toList();
    }

    private LookupAnswer answer(NodeId target) {
        byte[] t = new byte[4];
        random.nextBytes(t);
        return new LookupAnswer(closestInNetwork(target, K + 4, Set.of()), List.of(), Optional.of(WriteToken.of(t)));
    }

    /** Drives the lookup; contacts in {@code dead} never answer (they time out, in random order). */
    private Lookup drive(NodeId target, Set<NodeId> dead) {
        Lookup lookup = new Lookup(target, self, network.subList(0, 3), K, ALPHA);
        Set<NodeId> queried = new HashSet<>();
        Deque<Contact> inFlight = new ArrayDeque<>();
        for (int step = 0; step < 10_000 && !lookup.isFinished(); step++) {
            for (Contact c : lookup.nextQueries()) {
                assertTrue(queried.add(c.id()), "queried twice: " + c);
                inFlight.add(c);
            }
            assertTrue(lookup.inFlight() <= ALPHA);
            assertEquals(inFlight.size(), lookup.inFlight());
            if (inFlight.isEmpty()) {
                break;
            }
            Contact next = random.nextBoolean() ? inFlight.pollFirst() : inFlight.pollLast();
            if (dead.contains(next.id())) {
                lookup.onFailure(next);
            } else {
                lookup.onAnswer(next, answer(target));
            }
        }
        assertTrue(lookup.isFinished(), "lookup did not finish");
        return lookup;
    }

    @Test
    void findsTheKClosest() {
        NodeId target = NodeId.random(random);
        Lookup lookup = drive(target, Set.of());
        assertEquals(closestInNetwork(target, K, Set.of()), lookup.closestAnswered());
        assertEquals(K, lookup.tokenHolders().size());
    }

    @Test
    void finishesWhenSomeContactsNeverAnswer() {
        NodeId target = NodeId.random(random);
        Set<NodeId> dead = new HashSet<>();
        for (Contact c : closestInNetwork(target, 4, Set.of())) {
            dead.add(c.id());
        }
        Lookup lookup = drive(target, dead);
        assertEquals(closestInNetwork(target, K, dead), lookup.closestAnswered());
    }

    @Test
    void finishesWhenNobodyAnswers() {
        Set<NodeId> everyone = new HashSet<>();
        network.forEach(c -> everyone.add(c.id()));
        Lookup lookup = drive(NodeId.random(random), everyone);
        assertEquals(List.of(), lookup.closestAnswered());
    }

    @Test
    void emptyLookupIsFinishedAtOnce() {
        Lookup lookup = new Lookup(NodeId.random(random), self, List.of(), K, ALPHA);
        assertTrue(lookup.isFinished());
        assertEquals(List.of(), lookup.nextQueries());
    }

    @Test
    void ignoresSelfAndUnsolicitedAnswersAndCollectsPeers() {
        NodeId target = NodeId.random(random);
        Contact a = network.get(0);
        Lookup lookup = new Lookup(target, self, List.of(a, new Contact(self, a.address())), K, ALPHA);
        assertEquals(List.of(a), lookup.nextQueries());
        lookup.onAnswer(network.get(1), LookupAnswer.nodes(List.of())); // never asked: ignored
        assertEquals(1, lookup.inFlight());
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 6881);
        lookup.onAnswer(a, new LookupAnswer(List.of(), List.of(peer), Optional.empty()));
        assertTrue(lookup.isFinished());
        assertEquals(Set.of(peer), lookup.peers());
        assertEquals(List.of(), lookup.tokenHolders());
    }

    @Test
    void timeoutFreesTheSlot() {
        NodeId target = NodeId.random(random);
        List<Contact> seeds = network.stream().sorted(Contact.byDistanceTo(target)).limit(5).toList();
        Lookup lookup = new Lookup(target, self, seeds, K, ALPHA);
        List<Contact> first = lookup.nextQueries();
        assertEquals(ALPHA, first.size());
        assertEquals(List.of(), lookup.nextQueries());
        lookup.onFailure(first.get(0));
        List<Contact> next = lookup.nextQueries();
        assertEquals(1, next.size());
        assertFalse(first.contains(next.get(0)));
        assertEquals(seeds.stream().sorted(Contact.byDistanceTo(target)).toList().get(3), next.get(0));
    }

    @Test
    void countsHopsAndQueries() {
        NodeId target = NodeId.random(random);
        Contact a = network.get(0);
        Contact b = network.get(1);
        Contact c = network.get(2);
        Lookup lookup = new Lookup(target, self, List.of(a), K, ALPHA);
        assertEquals(List.of(a), lookup.nextQueries());
        lookup.onAnswer(a, LookupAnswer.nodes(List.of(b)));
        assertEquals(1, lookup.hops());
        assertEquals(List.of(b), lookup.nextQueries());
        lookup.onAnswer(b, LookupAnswer.nodes(List.of(c)));
        assertEquals(List.of(c), lookup.nextQueries());
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 1);
        lookup.onAnswer(c, new LookupAnswer(List.of(), List.of(peer), Optional.empty()));
        assertTrue(lookup.isFinished());
        assertEquals(3, lookup.queried());
        assertEquals(3, lookup.hops(), "the peer came from the third hop");
    }

    @Test
    void invariantsHoldOverManyRandomRuns() {
        // drive() checks on every step: no contact queried twice, at most alpha in flight, and it finishes.
        for (int run = 0; run < 300; run++) {
            NodeId target = NodeId.random(random);
            Set<NodeId> dead = new HashSet<>();
            int deadCount = random.nextInt(0, 60);
            for (int i = 0; i < deadCount; i++) {
                dead.add(network.get(random.nextInt(network.size())).id());
            }
            Lookup lookup = drive(target, dead);
            assertTrue(lookup.queried() <= network.size());
            assertTrue(lookup.closestAnswered().stream().noneMatch(c -> dead.contains(c.id())));
        }
    }

    /** Every contact among the {@code holders} closest to the target answers with one peer, the rest with nodes. */
    private LookupAnswer answerWithPeers(NodeId target, Contact from, int holders) {
        boolean holds = closestInNetwork(target, holders, Set.of()).contains(from);
        List<InetSocketAddress> peers = holds ? List.of(new InetSocketAddress("127.0.0.2", 7000)) : List.of();
        return new LookupAnswer(closestInNetwork(target, K + 4, Set.of()), peers, Optional.empty());
    }

    /** Answers every query at once, closest first; returns the queries sent until the lookup finished. */
    private int runToGoal(Lookup lookup, NodeId target, int holders) {
        for (int step = 0; step < 10_000 && !lookup.isFinished(); step++) {
            List<Contact> next = lookup.nextQueries();
            if (next.isEmpty()) {
                break;
            }
            for (Contact c : next) {
                lookup.onAnswer(c, answerWithPeers(target, c, holders));
            }
        }
        assertTrue(lookup.isFinished());
        return lookup.queried();
    }

    @Test
    void aSearchStopsOnceItHasPeersAndTheAlphaClosestAnsweredNotAtTheKClosest() {
        NodeId target = NodeId.random(random);
        Lookup search = new Lookup(target, self, network.subList(0, 3), K, ALPHA, new Lookup.Goal.Peers(50));
        runToGoal(search, target, K);
        assertFalse(search.peers().isEmpty());
        List<Contact> answered = search.closestAnswered();
        assertEquals(closestInNetwork(target, ALPHA, Set.of()), answered.subList(0, ALPHA));
        Lookup full = new Lookup(target, self, network.subList(0, 3), K, ALPHA);
        runToGoal(full, target, K);
        assertTrue(search.queried() < full.queried(), search.queried() + " vs " + full.queried());
    }

    @Test
    void aSearchStopsAtEnoughPeersWithoutConverging() {
        NodeId target = NodeId.random(random);
        Lookup search = new Lookup(target, self, network.subList(0, 3), K, ALPHA, new Lookup.Goal.Peers(1));
        List<Contact> first = search.nextQueries();
        search.onAnswer(first.get(0), new LookupAnswer(List.of(), List.of(new InetSocketAddress("127.0.0.2", 7000)),
                Optional.empty()));
        assertTrue(search.isFinished());
    }

    @Test
    void aSearchWithoutPeersGoesOnToTheKClosest() {
        NodeId target = NodeId.random(random);
        Lookup search = new Lookup(target, self, network.subList(0, 3), K, ALPHA, new Lookup.Goal.Peers(50));
        runToGoal(search, target, 0);
        assertEquals(closestInNetwork(target, K, Set.of()), search.closestAnswered());
    }

    @Test
    void aSlowContactGivesUpItsSlotAndItsLateAnswerStillCounts() {
        NodeId target = NodeId.random(random);
        Lookup lookup = new Lookup(target, self, closestInNetwork(target, 10, Set.of()), K, ALPHA);
        List<Contact> first = lookup.nextQueries();
        assertEquals(ALPHA, first.size());
        Contact slow = first.get(0);
        lookup.onSlow(slow);
        assertEquals(ALPHA - 1, lookup.inFlight());
        List<Contact> replacement = lookup.nextQueries();
        assertEquals(1, replacement.size());
        assertFalse(first.contains(replacement.get(0)));
        lookup.onAnswer(slow, answer(target));
        assertEquals(ALPHA, lookup.inFlight(), "a late answer frees no slot it no longer holds");
        assertTrue(lookup.closestAnswered().contains(slow));
    }

    @Test
    void aSlowContactThatNeverAnswersDoesNotHoldTheLookupUp() {
        NodeId target = NodeId.random(random);
        Lookup lookup = new Lookup(target, self, network.subList(0, 3), K, ALPHA);
        Contact slow = closestInNetwork(target, 1, Set.of()).get(0);
        for (int step = 0; step < 10_000 && !lookup.isFinished(); step++) {
            List<Contact> next = lookup.nextQueries();
            if (next.isEmpty()) {
                break;
            }
            for (Contact c : next) {
                if (c.equals(slow)) {
                    lookup.onSlow(c);
                } else {
                    lookup.onAnswer(c, answer(target));
                }
            }
        }
        assertTrue(lookup.isFinished());
        assertEquals(closestInNetwork(target, K, Set.of(slow.id())), lookup.closestAnswered());
    }

    /** Contacts that do not exist, each in the target's bucket {@code index}: closer than any in bucket index + 1. */
    private List<Contact> madeUp(NodeId target, int index, int n) {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Contact(NodeId.randomInBucket(target, index, random), new InetSocketAddress("203.0.113.9", 20_000 + i)));
        }
        return out;
    }

    @Test
    void aResponderThatAlwaysNamesCloserMadeUpContactsMeetsTheQueryBound() {
        NodeId target = NodeId.random(random);
        Lookup lookup = new Lookup(target, self, madeUp(target, 255, 3), K, ALPHA, Lookup.Goal.CLOSEST,
                new Lookup.Bounds(40, 64, 1_000));
        int index = 254;
        for (int turn = 0; turn < 1_000 && !lookup.isFinished(); turn++) {
            for (Contact c : lookup.nextQueries()) {
                // every answer is 20 contacts closer than anything before
                lookup.onAnswer(c, LookupAnswer.nodes(madeUp(target, Math.max(0, index--), 20)));
            }
        }
        assertTrue(lookup.isFinished());
        assertEquals(Optional.of(Lookup.Bound.QUERIES), lookup.endedBy());
        assertEquals(40, lookup.queried());
        assertTrue(lookup.candidateCount() <= 64 + 40, "candidates kept: " + lookup.candidateCount());
    }

    @Test
    void aChainOfOneCloserContactPerAnswerMeetsTheRoundBound() {
        NodeId target = NodeId.random(random);
        Lookup lookup = new Lookup(target, self, madeUp(target, 255, 1), K, ALPHA, Lookup.Goal.CLOSEST,
                new Lookup.Bounds(1_000, 512, 6));
        int index = 254;
        for (int turn = 0; turn < 1_000 && !lookup.isFinished(); turn++) {
            for (Contact c : lookup.nextQueries()) {
                lookup.onAnswer(c, LookupAnswer.nodes(madeUp(target, index--, 1)));
            }
        }
        assertTrue(lookup.isFinished());
        assertEquals(Optional.of(Lookup.Bound.ROUNDS), lookup.endedBy());
        assertEquals(6, lookup.queried(), "one query per round, six rounds");
    }

    @Test
    void aLookupThatMeetsItsGoalEndsByNoBound() {
        Lookup lookup = drive(NodeId.random(random), Set.of());
        assertTrue(lookup.isFinished());
        assertEquals(Optional.empty(), lookup.endedBy());
    }
}
