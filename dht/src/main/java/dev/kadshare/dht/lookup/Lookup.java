package dev.kadshare.dht.lookup;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Iterative Kademlia lookup as an I/O-free state machine. The caller asks {@link #nextQueries()} whom
 * to query, and feeds back {@link #onAnswer} or {@link #onFailure} (a timeout is a failure and frees
 * its slot). At most alpha queries are in flight; each contact is queried at most once; the lookup is
 * finished when the k closest live contacts seen have all answered, or no candidate is left.
 */
public final class Lookup {
    private enum State { FRESH, IN_FLIGHT, ANSWERED, FAILED }

    private static final class Candidate {
        final Contact contact;
        /** Hops from us: 1 for contacts of our own table, n + 1 for those learnt from a depth-n answer. */
        final int depth;
        State state = State.FRESH;
        Optional<WriteToken> token = Optional.empty();
        boolean gavePeers;

        Candidate(Contact contact, int depth) {
            this.contact = contact;
            this.depth = depth;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    /** Keyed by XOR distance to the target, so iteration order is closest first and ids are unique. */
    private final TreeMap<NodeId, Candidate> candidates = new TreeMap<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final Set<RecordValue> values = new LinkedHashSet<>();
    private int inFlight;
    private int queried;

    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha) {
        if (k < 1 || alpha < 1) {
            throw new IllegalArgumentException("k and alpha must be positive");
        }
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        seeds.forEach(c -> offer(c, 1));
    }

    public NodeId target() {
        return target;
    }

    /** Contacts to query now; they are marked in flight. Empty when the slots are full or nothing is left. */
    public List<Contact> nextQueries() {
        List<Contact> next = new ArrayList<>();
        for (Candidate c : closestLive()) {
            if (inFlight >= alpha) {
                break;
            }
            if (c.state == State.FRESH) {
                c.state = State.IN_FLIGHT;
                inFlight++;
                queried++;
                next.add(c.contact);
            }
        }
        return next;
    }

    /** A queried contact answered; answers from contacts not in flight are ignored. */
    public void onAnswer(Contact from, LookupAnswer answer) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c == null || c.state != State.IN_FLIGHT) {
            return;
        }
        c.state = State.ANSWERED;
        c.token = answer.token();
        inFlight--;
        c.gavePeers = answer.hasContent();
        peers.addAll(answer.peers());
        values.addAll(answer.values());
        answer.nodes().forEach(n -> offer(n, c.depth + 1));
    }

    /** A queried contact failed or timed out; frees its slot. */
    public void onFailure(Contact from) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c != null && c.state == State.IN_FLIGHT) {
            c.state = State.FAILED;
            inFlight--;
        }
    }

    public boolean isFinished() {
        for (Candidate c : closestLive()) {
            if (c.state != State.ANSWERED) {
                return false;
            }
        }
        return true;
    }

    public int inFlight() {
        return inFlight;
    }

    /** The closest contacts that answered, at most k, closest first. */
    public List<Contact> closestAnswered() {
        List<Contact> out = new ArrayList<>();
        for (Candidate c : closestLive()) {
            if (c.state == State.ANSWERED) {
                out.add(c.contact);
            }
        }
        return out;
    }

    /** Among the closest that answered, those that gave a write token. */
    public List<TokenHolder> tokenHolders() {
        List<TokenHolder> out = new ArrayList<>();
        for (Candidate c : closestLive()) {
            if (c.state == State.ANSWERED && c.token.isPresent()) {
                out.add(new TokenHolder(c.contact, c.token.get()));
            }
        }
        return out;
    }

    /** Every peer any contact returned. */
    public Set<InetSocketAddress> peers() {
        return Set.copyOf(peers);
    }

    /** Every distinct record value any contact returned, in the order first seen. */
    public List<RecordValue> values() {
        return List.copyOf(values);
    }

    /** Queries sent so far (answered, failed or in flight): the lookup's RPC cost. */
    public int queried() {
        return queried;
    }

    /**
     * Hops the lookup needed: the depth of the closest contact that returned peers or values, or if none did, of
     * the closest contact that answered; 0 if nobody answered.
     */
    public int hops() {
        int closestAnswered = 0;
        for (Candidate c : candidates.values()) {
            if (c.gavePeers) {
                return c.depth;
            }
            if (closestAnswered == 0 && c.state == State.ANSWERED) {
                closestAnswered = c.depth;
            }
        }
        return closestAnswered;
    }

    private void offer(Contact contact, int depth) {
        if (!contact.id().equals(self)) {
            candidates.putIfAbsent(target.distance(contact.id()), new Candidate(contact, depth));
        }
    }

    /** The k closest candidates that have not failed: the set the lookup must hear from. */
    private List<Candidate> closestLive() {
        List<Candidate> out = new ArrayList<>(k);
        for (Candidate c : candidates.values()) {
            if (c.state != State.FAILED) {
                out.add(c);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }
}
