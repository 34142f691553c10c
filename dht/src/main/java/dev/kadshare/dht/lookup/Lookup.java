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
 * up). At most alpha queries are in flight on one path (2 a path on several); each contact is queried at most once. When the lookup is
 * finished depends on its {@link Goal}; with none left to ask it is finished whatever the goal. Whatever the
 * answers, a lookup stays within its {@link Bounds} (a responder that keeps naming closer, made-up contacts cannot
 * keep it going or grow it) and, past one, ends with what it has and says which ({@link #endedBy}).
 *
 * <p>It runs over {@code paths} disjoint paths (S/Kademlia): the closest contacts of our table are dealt out to them in
 * turn, a contact belongs to the path whose answer named it first and is asked by that path only, and each path has
 * 2 queries in flight and converges on its own k closest. Searches ({@link Goal.Peers}, {@link Goal.Values}) run so;
 * a lookup for the k closest ({@link Goal.Closest}) runs on one path. So one path led astray by liars (made-up or
 * colluding contacts) neither ends the search nor takes the others with it: it ends when every path is done, or when
 * its goal is met with the closest heard from (a record search: of every path; a peer search: of all paths). One
 * path is the plain Kademlia lookup.
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

    /**
     * How far one lookup may go: queries sent, candidates kept (the farthest not yet asked go first), and rounds
     * (a contact learnt at depth n + 1 from a depth-n answer is not asked beyond {@code maxRounds}). The time bound
     * is the driver's ({@code IterativeLookup}), which has the clock.
     */
    public record Bounds(int maxQueries, int maxCandidates, int maxRounds) {
        /**
         * About 4x the queries and 3x the rounds of a lookup in a 100,000-node network, so only an attack or a
         * broken network meets them.
         */
        public static final Bounds DEFAULT = new Bounds(128, 512, 16);

        public Bounds {
            if (maxQueries < 1 || maxCandidates < 1 || maxRounds < 1) {
                throw new IllegalArgumentException("lookup bounds must be positive");
            }
        }
    }

    /** The bound that ended a lookup before its goal was met. */
    public enum Bound { QUERIES, ROUNDS, TIME }

    private static final class Candidate {
        final Contact contact;
        /** Hops from us: 1 for contacts of our own table, n + 1 for those learnt from a depth-n answer. */
        final int depth;
        State state = State.FRESH;
        /** The disjoint path that learnt it first, the only one that asks it. */
        final int path;
        Optional<WriteToken> token = Optional.empty();
        boolean gavePeers;

        Candidate(Contact contact, int depth, int path) {
            this.contact = contact;
            this.depth = depth;
            this.path = path;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    private final Goal goal;
    private final Bounds bounds;
    private final int paths;
    /**
     * Queries in flight on one path at most, and how many of its closest a record search waits for: all of alpha on one
     * path; 2 on each of several (at 10,000 nodes, one each made a search take 1.63 round trips a hop, at 19 RPCs; two
     * each, 1.27 at 28 RPCs, as fast as one path was).
     */
    private final int pathAlpha;
    /** Queries in flight per path. */
    private final int[] pathInFlight;
    /** Keyed by XOR distance to the target, so iteration order is closest first and ids are unique. */
    private final TreeMap<NodeId, Candidate> candidates = new TreeMap<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final Set<RecordValue> values = new LinkedHashSet<>();
    private int inFlight;
    private int queried;
    private Optional<Bound> endedBy = Optional.empty();

    /** A lookup that converges on the k closest ({@link Goal#CLOSEST}). */
    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha) {
        this(target, self, seeds, k, alpha, Goal.CLOSEST);
    }

    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha, Goal goal) {
        this(target, self, seeds, k, alpha, goal, Bounds.DEFAULT);
    }

    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha, Goal goal, Bounds bounds) {
        this(target, self, seeds, k, alpha, goal, bounds, 1);
    }

    /** A search over {@code paths} disjoint paths, 2 queries in flight on each (a {@link Goal.Closest} runs on one). */
    public Lookup(NodeId target, NodeId self, Collection<Contact> seeds, int k, int alpha, Goal goal, Bounds bounds,
                  int paths) {
        if (k < 1 || alpha < 1 || paths < 1) {
            throw new IllegalArgumentException("k, alpha and paths must be positive");
        }
        // A lookup for the k closest (to write to them, or to fill a table) runs as one: k answers on each path would
        // cost d times the queries, and its writes go to the k closest whoever named them. Searches run on d paths.
        this.paths = goal instanceof Goal.Closest ? 1 : paths;
        this.pathAlpha = this.paths == 1 ? alpha : 2;
        this.pathInFlight = new int[this.paths];
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.goal = Objects.requireNonNull(goal);
        this.bounds = Objects.requireNonNull(bounds);
        // Dealt out closest first, in turn, so every path starts as close as the others.
        List<Contact> byDistance = new ArrayList<>(seeds);
        byDistance.sort(java.util.Comparator.comparing(c -> target.distance(c.id())));
        for (int i = 0; i < byDistance.size(); i++) {
            offer(byDistance.get(i), 1, i % this.paths);
        }
    }

    public NodeId target() {
        return target;
    }

    /** Contacts to query now; they are marked in flight. Empty when the slots are full or nothing is left. */
    public List<Contact> nextQueries() {
        List<Contact> next = new ArrayList<>();
        for (int path = 0; path < paths; path++) {
            for (Candidate c : closestLive(path)) {
                if (pathInFlight[path] >= pathAlpha || queried >= bounds.maxQueries() || endedBy.isPresent()) {
                    break;
                }
                if (c.state == State.FRESH && c.depth <= bounds.maxRounds()) {
                    c.state = State.IN_FLIGHT;
                    inFlight++;
                    pathInFlight[path]++;
                    queried++;
                    next.add(c.contact);
                }
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
            landed(c);
        }
        c.state = State.ANSWERED;
        c.token = answer.token();
        c.gavePeers = answer.hasContent();
        peers.addAll(answer.peers());
        values.addAll(answer.values());
        answer.nodes().forEach(n -> offer(n, c.depth + 1, c.path));
    }

    /**
     * A queried contact is slower than its adaptive timeout: its slot goes to the next candidate and it no
     * longer counts among the closest the lookup waits for; if it still answers, the answer is used.
     */
    public void onSlow(Contact from) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c != null && c.state == State.IN_FLIGHT) {
            c.state = State.SLOW;
            landed(c);
        }
    }

    /** A queried contact failed or its request was given up; frees its slot. */
    public void onFailure(Contact from) {
        Candidate c = candidates.get(target.distance(from.id()));
        if (c != null && (c.state == State.IN_FLIGHT || c.state == State.SLOW)) {
            if (c.state == State.IN_FLIGHT) {
                landed(c);
            }
            c.state = State.FAILED;
        }
    }

    public boolean isFinished() {
        if (endedBy.isPresent()) {
            return true;
        }
        boolean allAnswered = true;
        boolean eachPathsClosestAnswered = true;
        List<Candidate> unasked = new ArrayList<>();
        for (int path = 0; path < paths; path++) {
            List<Candidate> closest = closestLive(path);
            allAnswered &= closest.stream().allMatch(c -> c.state == State.ANSWERED);
            eachPathsClosestAnswered &= closest.stream().limit(pathAlpha).allMatch(c -> c.state == State.ANSWERED);
            closest.stream().filter(c -> c.state == State.FRESH).forEach(unasked::add);
        }
        if (allAnswered) {
            return true; // nothing closer to ask on any path: finished whatever the goal
        }
        // Records are what an attacker floods: a record search hears every path's closest out. Peers are proven by
        // dialling them, so a peer search ends once the closest of all paths answered, whichever path found them: a
        // lying path cannot hide what another found, and waiting for the slowest path cost a third more time.
        if (goal instanceof Goal.Values && !values.isEmpty() && eachPathsClosestAnswered) {
            return true;
        }
        boolean closestAnswered = closestLive().stream().limit(alpha).allMatch(c -> c.state == State.ANSWERED);
        if (goal instanceof Goal.Peers p && (peers.size() >= p.enough() || (!peers.isEmpty() && closestAnswered))) {
            return true;
        }
        return inFlight == 0 && stoppedByBound(unasked);
    }

    private void landed(Candidate c) {
        inFlight--;
        pathInFlight[c.path]--;
    }

    /**
     * True, and the bound recorded, when nothing is in flight and the candidates among the closest of their paths
     * left unasked ({@code unasked}) are so only because of a bound: the lookup ends with what it has.
     */
    private boolean stoppedByBound(List<Candidate> unasked) {
        Optional<Bound> blocked = Optional.empty();
        for (Candidate c : unasked) {
            if (queried >= bounds.maxQueries()) {
                blocked = Optional.of(Bound.QUERIES);
            } else if (c.depth > bounds.maxRounds()) {
                blocked = blocked.or(() -> Optional.of(Bound.ROUNDS));
            } else {
                return false; // still one to ask
            }
        }
        endedBy = blocked;
        return blocked.isPresent();
    }

    /** The driver's time bound passed: the lookup ends with what it has. */
    public void timeUp() {
        if (endedBy.isEmpty()) {
            endedBy = Optional.of(Bound.TIME);
        }
    }

    /** The bound that ended this lookup before its goal, if one did. */
    public Optional<Bound> endedBy() {
        return endedBy;
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

    /** Candidates kept (asked or not): what the lookup holds in memory. */
    public int candidateCount() {
        return candidates.size();
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

    /** A contact learnt by {@code path}; one another path learnt first stays that path's (the paths stay disjoint). */
    private void offer(Contact contact, int depth, int path) {
        if (contact.id().equals(self)) {
            return;
        }
        candidates.putIfAbsent(target.distance(contact.id()), new Candidate(contact, depth, path));
        if (candidates.size() > bounds.maxCandidates()) {
            dropFarthestUnasked();
        }
    }

    /** Forgets the farthest candidate not yet asked (one asked is kept: its answer, or its failure, is awaited). */
    private void dropFarthestUnasked() {
        for (NodeId distance : candidates.descendingKeySet()) {
            if (candidates.get(distance).state == State.FRESH) {
                candidates.remove(distance);
                return;
            }
        }
    }

    /** The k closest candidates that have not failed nor turned slow: the set the lookup's answer is drawn from. */
    private List<Candidate> closestLive() {
        return closestLive(-1);
    }

    /** As {@link #closestLive()}, of one path only ({@code -1}: of all): the set that path must hear from. */
    private List<Candidate> closestLive(int path) {
        List<Candidate> out = new ArrayList<>(k);
        for (Candidate c : candidates.values()) {
            if (c.state != State.FAILED && c.state != State.SLOW && (path < 0 || c.path == path)) {
                out.add(c);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }
}
