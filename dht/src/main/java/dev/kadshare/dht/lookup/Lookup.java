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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Iterative Kademlia lookup as an I/O-free state machine. The caller asks {@link #nextQueries()} whom
 * to query, and feeds back {@link #onAnswer}, {@link #onSlow} (the contact's adaptive timeout passed: its
 * slot goes to the next candidate, a late answer still counts) or {@link #onFailure} (the request is given
 * up). At most alpha queries are in flight; each contact is queried at most once. When the lookup is
 * finished depends on its {@link Goal}; with none left to ask it is finished whatever the goal.
 */
public final class Lookup {
    private enum State { FRESH, IN_FLIGHT, SLOW, ANSWERED, FAILED }

    /** What the lookup needs before it may stop. */
    public sealed interface Goal {
        /** The k closest live contacts all answered: FIND_NODE, and the lookups that then write to them. */
        record Closest() implements Goal {
        }

        /**
         * GET_PEERS for a search: {@code enough} peers, or some peers once the alpha closest live contacts
         * answered (slow or failed ones skipped); the stragglers further out are not waited for.
         */
        record Peers(int enough) implements Goal {
            public Peers {
                if (enough < 1) {
                    throw new IllegalArgumentException("enough peers must be positive");
                }
            }
        }

        /**
         * Record get: values found once the alpha closest live contacts answered (their answer sets are the
         * ones every put reached); the stragglers further out are not waited for.
         */
        record Values() implements Goal {
        }

        Goal CLOSEST = new Closest();
        Goal VALUES = new Values();
    }

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
    private final Goal goal;
    /** Keyed by XOR distance to the target, so iteration order is closest first and ids are unique. */
    private final TreeMap<NodeId, Candidate> candidates = new TreeMap<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final Set<RecordValue> values = new LinkedHashSet<>();
    private int inFlight;
    private int queried;

    /** A lookup that converges on the k closest ({@link Goal#CLOSEST}). */
    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha) {
        this(target, self, seeds, k, alpha, Goal.CLOSEST);
    }

    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha, Goal goal) {
        if (k < 1 || alpha < 1) {
            throw new IllegalArgumentException("k and alpha must be positive");
        }
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.goal = Objects.requireNonNull(goal);
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

    /** A queried contact answered (late ones too); answers from contacts not asked are ignored. */
    public void onAnswer(Contact from, LookupAnswer answer) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c == null || (c.state != State.IN_FLIGHT && c.state != State.SLOW)) {
            return;
        }
        if (c.state == State.IN_FLIGHT) {
            inFlight--;
        }
        c.state = State.ANSWERED;
        c.token = answer.token();
        c.gavePeers = answer.hasContent();
        peers.addAll(answer.peers());
        values.addAll(answer.values());
        answer.nodes().forEach(n -> offer(n, c.depth + 1));
    }

    /**
     * A queried contact is slower than its adaptive timeout: its slot goes to the next candidate and it no
     * longer counts among the closest the lookup waits for; if it still answers, the answer is used.
     */
    public void onSlow(Contact from) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c != null && c.state == State.IN_FLIGHT) {
            c.state = State.SLOW;
            inFlight--;
        }
    }

    /** A queried contact failed or its request was given up; frees its slot. */
    public void onFailure(Contact from) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c != null && (c.state == State.IN_FLIGHT || c.state == State.SLOW)) {
            if (c.state == State.IN_FLIGHT) {
                inFlight--;
            }
            c.state = State.FAILED;
        }
    }

    public boolean isFinished() {
        List<Candidate> closest = closestLive();
        boolean allAnswered = closest.stream().allMatch(c -> c.state == State.ANSWERED);
        if (allAnswered) {
            return true; // nothing closer to ask: finished whatever the goal
        }
        boolean closestAnswered = closest.stream().limit(alpha).allMatch(c -> c.state == State.ANSWERED);
        if (goal instanceof Goal.Values) {
            return !values.isEmpty() && closestAnswered;
        }
        if (goal instanceof Goal.Peers p) {
            return peers.size() >= p.enough() || (!peers.isEmpty() && closestAnswered);
        }
        return false;
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

    /** The k closest candidates that have not failed nor turned slow: the set the lookup must hear from. */
    private List<Candidate> closestLive() {
        List<Candidate> out = new ArrayList<>(k);
        for (Candidate c : candidates.values()) {
            if (c.state != State.FAILED && c.state != State.SLOW) {
                out.add(c);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }
}
