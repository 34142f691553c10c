package dev.kadshare.transfer.swarm;

import com.google.common.collect.HashMultiset;
import com.google.common.collect.Multiset;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Decides which chunk to request from which peer. Pure state machine: events in, {@link SwarmAction}s
 * out; no I/O, no threads, time from an injected {@link InstantSource}, randomness from an injected
 * {@link RandomGenerator}; not thread-safe (one owner, e.g. an event loop or a simulation's event queue).
 *
 * <ul>
 *   <li>Each peer says which chunks it holds ({@link #peerReady(Object, BitSet)}, then {@link #peerHave});
 *       {@link #peerReady(Object)} means it holds everything (a seeder).</li>
 *   <li>Up to {@code maxInFlightPerPeer} requests per peer; with {@link Pipelining#ADAPTIVE}, only as many as
 *       cover the peer's measured round trip at its measured rate ({@link PipelineDepth}), so requests do not
 *       wait deep in one peer's queue for chunks another could send sooner. The next chunk for a peer is the
 *       rarest one it holds that nobody has been asked for, ties broken at random (a {@link ChunkPicker}: chunks
 *       bucketed by availability, so a pick does not scan every missing chunk).</li>
 *   <li>At most {@code maxInFlight} requests across all peers: a requested chunk holds a buffer until it is
 *       verified, so this bounds a download's memory however many peers it has. When the cap binds, a free
 *       slot goes to the peer with the fewest requests outstanding.</li>
 *   <li>Endgame: once every missing chunk has been requested, a peer with room is asked for chunks still
 *       in flight elsewhere; the first copy to verify cancels the others ({@link SwarmAction.Cancel}).</li>
 *   <li>A request older than the request timeout at {@link #checkTimeouts()} is cancelled and the chunk
 *       goes to another peer; that peer is not asked for that chunk again.</li>
 *   <li>A choked peer is asked nothing until it unchokes; its outstanding requests go elsewhere.</li>
 *   <li>An urgent chunk no ready peer says it holds is asked of a peer anyway, one such probe per peer at a time: an
 *       initial seeder holds every chunk but tells of a few at a time, and serves a reader's chunk out of turn. A
 *       peer that declines a probe is not probed again until it sends us a chunk.</li>
 *   <li>A bad chunk or a protocol error drops its peer for good; a lost connection gives its chunks back.</li>
 * </ul>
 *
 * @param <P> how the adapter names a peer (an address, a connection, a simulated node)
 */
public final class Swarm<P> {
    private static final int MAX_ENDGAME_COPIES = 3;
    /**
     * With {@link ChunkOrder#SEQUENTIAL}, one request in this many is rarest-first (20 %): enough that the chunks few
     * peers hold keep spreading and peers keep having something to trade with each other, few enough that the chunks
     * ahead of a player still arrive in order.
     */
    public static final int RAREST_SHARE = 5;

    private enum State { CONNECTING, READY, GONE, DROPPED }

    /** When a request went out, and whether it was the only one outstanding at its peer then. */
    private record Sent(Instant at, boolean alone) {
    }

    private static final class Peer {
        State state = State.CONNECTING;
        boolean choked;
        BitSet has = new BitSet();
        /** Requested chunk -> when; insertion order is request order. */
        final Map<Integer, Sent> inFlight = new LinkedHashMap<>();
        /**
         * Cancelled requests whose chunk may still arrive, counted: a chunk asked again after a CHOKE (which cancels)
         * and cancelled again may come twice, the first copy already on its way before the CHOKE.
         */
        final Multiset<Integer> cancelled = HashMultiset.create();
        /** Chunks not to ask this peer for again (rejected or stalled). */
        final BitSet avoid = new BitSet();
        /** Requested chunks whose copy arrived and is being checked: a second copy of one was never asked for. */
        final BitSet arrived = new BitSet();
        /** It declined a probe: not probed again until it sends a chunk. */
        boolean probeDeclined;
        /** The urgent chunk asked of it though it did not say it holds it, in flight; -1 if none. */
        int probe = -1;
        /** When this peer was last asked for a chunk, in requests made by the swarm; 0 = never. */
        long lastAsked;
        /** How deep to pipeline at this peer; empty with {@link Pipelining#FIXED}: always the maximum. */
        final Optional<PipelineDepth> pipeline;

        Peer(Optional<PipelineDepth> pipeline) {
            this.pipeline = pipeline;
        }

        int depth(int max) {
            return pipeline.map(PipelineDepth::depth).orElse(max);
        }
    }

    private final int chunkCount;
    private final int maxInFlightPerPeer;
    private final int maxInFlight;
    /** Requests outstanding across all peers (the sum of their {@code inFlight} sizes). */
    private int outstanding;
    /** Requests made so far: orders peers by when they were last asked. */
    private long requestsMade;
    private final InstantSource clock;
    private final Duration requestTimeout;
    private final BitSet verified = new BitSet();
    /** Which missing chunk to ask for next; it counts how many READY peers hold each. */
    private final ChunkPicker picker;
    private final Map<P, Peer> peers = new LinkedHashMap<>();
    /** With {@link Pipelining#FIXED} every peer gets the maximum depth. */
    private final boolean adaptive;
    private final ChunkOrder order;
    /** Ranges readers wait for: asked for before anything else. */
    private final UrgentChunks urgent = new UrgentChunks();
    /** Picks made in sequential order, to keep {@link #RAREST_SHARE} of them rarest-first. */
    private long orderedPicks;
    private boolean ended;

    /**
     * @param maxInFlightPerPeer the most requests outstanding at one peer; fewer while its measured rate and
     *     round trip need fewer
     * @param maxInFlight the most requests outstanding across all peers
     * @param clock read by {@link #checkTimeouts()}, when a request is sent and when its chunk is verified
     * @param random breaks ties between equally rare chunks
     * @param requestTimeout how long a request may stay unanswered before it goes to another peer
     */
    public Swarm(int chunkCount, int maxInFlightPerPeer, int maxInFlight, BitSet alreadyVerified, InstantSource clock,
            RandomGenerator random, Duration requestTimeout) {
        this(chunkCount, maxInFlightPerPeer, maxInFlight, alreadyVerified, clock, random, requestTimeout,
                Pipelining.ADAPTIVE);
    }

    /** As the constructor above, with the depth policy given rather than adaptive. */
    public Swarm(int chunkCount, int maxInFlightPerPeer, int maxInFlight, BitSet alreadyVerified, InstantSource clock,
            RandomGenerator random, Duration requestTimeout, Pipelining pipelining) {
        this(chunkCount, maxInFlightPerPeer, maxInFlight, alreadyVerified, clock, random, requestTimeout, pipelining,
                ChunkOrder.RAREST_FIRST);
    }

    /** As the constructor above, asking for the chunks nobody waits for in {@code order}. */
    public Swarm(int chunkCount, int maxInFlightPerPeer, int maxInFlight, BitSet alreadyVerified, InstantSource clock,
            RandomGenerator random, Duration requestTimeout, Pipelining pipelining, ChunkOrder order) {
        if (chunkCount < 0 || maxInFlightPerPeer < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("chunkCount " + chunkCount + ", maxInFlightPerPeer " + maxInFlightPerPeer
                    + ", maxInFlight " + maxInFlight);
        }
        this.chunkCount = chunkCount;
        this.maxInFlightPerPeer = maxInFlightPerPeer;
        this.maxInFlight = maxInFlight;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        this.adaptive = pipelining == Pipelining.ADAPTIVE;
        this.order = order;
        verified.or(alreadyVerified.get(0, chunkCount));
        this.picker = new BucketPicker(chunkCount, verified, random);
    }

    /** A connection attempt to {@code peer} has started: it counts as usable until it fails. */
    public List<SwarmAction<P>> peerConnecting(P peer) {
        Peer p = peers.computeIfAbsent(peer, k -> newPeer());
        if (p.state == State.GONE) {
            p.state = State.CONNECTING;
        }
        return end(new ArrayList<>());
    }

    /** {@code peer} completed the handshake and holds every chunk. */
    public List<SwarmAction<P>> peerReady(P peer) {
        BitSet all = new BitSet();
        all.set(0, chunkCount);
        return peerReady(peer, all);
    }

    /** {@code peer} completed the handshake and holds the chunks in {@code has} (its BITFIELD). */
    public List<SwarmAction<P>> peerReady(P peer, BitSet has) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.computeIfAbsent(peer, k -> newPeer());
        if (p.state != State.DROPPED && !ended) {
            leaveReady(p);
            p.has = has.get(0, chunkCount);
            p.avoid.clear(); // a fresh connection gets a fresh chance
            p.probeDeclined = false;
            p.state = State.READY;
            picker.holdersChanged(p.has, +1);
            fill(peer, p, out);
        }
        return end(out);
    }

    /** {@code peer} now holds chunk {@code index} too (HAVE). */
    public List<SwarmAction<P>> peerHave(P peer, int index) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.get(peer);
        if (p == null || ended || index < 0 || index >= chunkCount || p.has.get(index)) {
            return out;
        }
        p.has.set(index);
        if (p.state == State.READY) {
            picker.holderAdded(index);
            fill(peer, p, out);
        }
        return end(out);
    }

    /**
     * {@code peer} stopped serving us for now (CHOKE): its outstanding requests count as cancelled (it
     * drops them) and go to other peers; it is asked nothing until {@link #peerUnchoked}.
     */
    public List<SwarmAction<P>> peerChoked(P peer) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.computeIfAbsent(peer, k -> newPeer());
        if (ended || p.choked) {
            return out;
        }
        p.choked = true;
        List<Integer> indices = takeAllInFlight(p);
        p.cancelled.addAll(indices);
        indices.forEach(this::release);
        fillAll(out);
        return end(out);
    }

    /** {@code peer} serves us again (UNCHOKE). */
    public List<SwarmAction<P>> peerUnchoked(P peer) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.get(peer);
        if (p == null || ended || !p.choked) {
            return out;
        }
        p.choked = false;
        if (p.state == State.READY) {
            fill(peer, p, out);
        }
        return end(out);
    }

    /**
     * A reader holding {@code ticket} waits for chunks {@code first..last} (replacing what that ticket waited for):
     * the missing ones among them are asked for before any other, lowest first, as requests free up.
     */
    public List<SwarmAction<P>> prioritize(long ticket, int first, int last) {
        List<SwarmAction<P>> out = new ArrayList<>();
        if (ended || first < 0 || last >= chunkCount || first > last) {
            return out;
        }
        urgent.want(ticket, first, last);
        fillAll(out);
        return out; // a reader changes no peer's state: nothing here can end the swarm
    }

    /** The reader holding {@code ticket} went away: its chunks are no more urgent than any other. */
    public List<SwarmAction<P>> releasePriority(long ticket) {
        urgent.release(ticket);
        return new ArrayList<>();
    }

    /** True when {@code index} was requested from {@code peer} and neither answered nor cancelled. */
    public boolean isAwaiting(P peer, int index) {
        Peer p = peers.get(peer);
        return p != null && p.inFlight.containsKey(index) && !p.arrived.get(index);
    }

    /**
     * A copy of chunk {@code index} arrived from {@code peer}: true when it was expected, as the answer to a request
     * whose copy has not arrived yet (which it now has) or as the late answer to a cancelled one (taken). Any other
     * copy, a second one of a single request included, was never asked for.
     */
    public boolean chunkArrived(P peer, int index) {
        Peer p = peers.get(peer);
        if (p == null) {
            return false;
        }
        if (p.inFlight.containsKey(index) && !p.arrived.get(index)) {
            p.arrived.set(index);
            return true;
        }
        return p.cancelled.remove(index);
    }

    /**
     * True (once) when {@code index} from {@code peer} is the late answer to a cancelled request: expected,
     * not misbehaviour, and of no further use.
     */
    public boolean takeCancelled(P peer, int index) {
        Peer p = peers.get(peer);
        return p != null && p.cancelled.remove(index);
    }

    /** True when {@code peer} owes us at least one chunk. */
    public boolean hasInFlight(P peer) {
        Peer p = peers.get(peer);
        return p != null && !p.inFlight.isEmpty();
    }

    /**
     * The adapter checked chunk {@code index} from {@code peer} against the manifest and it matched (and
     * stored it). Accepted even if the request was cancelled or the peer lost meanwhile: the bytes are good.
     */
    public List<SwarmAction<P>> chunkVerified(P peer, int index) {
        List<SwarmAction<P>> out = new ArrayList<>();
        if (ended || index < 0 || index >= chunkCount) {
            return out;
        }
        Peer p = peers.get(peer);
        Sent answered = p == null ? null : takeInFlight(p, index);
        if (answered != null) {
            p.probeDeclined = false; // what it may send out of turn grows with what it sends
            Instant now = clock.instant();
            p.pipeline.ifPresent(d -> d.answered(answered.at(), now, answered.alone()));
        }
        if (!verified.get(index)) {
            verified.set(index);
            picker.verified(index);
            for (Map.Entry<P, Peer> e : peers.entrySet()) {
                if (takeInFlight(e.getValue(), index) != null) {
                    e.getValue().cancelled.add(index);
                    out.add(new SwarmAction.Cancel<>(e.getKey(), index));
                }
            }
        }
        fillAll(out);
        return end(out);
    }

    /** Chunk {@code index} from {@code peer} failed verification: drop the sender, ask someone else. */
    public List<SwarmAction<P>> chunkFailed(P peer, int index) {
        return drop(peer, "sent chunk " + index + " that failed verification");
    }

    /** {@code peer} declined to send chunk {@code index} (REJECT): ask someone else, and not it again. */
    public List<SwarmAction<P>> chunkRejected(P peer, int index) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.get(peer);
        boolean probe = p != null && p.probe == index;
        if (p == null || ended || takeInFlight(p, index) == null) {
            return out;
        }
        if (probe) {
            p.probeDeclined = true;
        } else {
            p.avoid.set(index);
        }
        release(index);
        fillAll(out);
        return end(out);
    }

    /** {@code peer} broke the protocol (unrequested chunk, garbage): drop it. */
    public List<SwarmAction<P>> peerMisbehaved(P peer, String reason) {
        return drop(peer, reason);
    }

    /** The connection to {@code peer} closed or never opened; it may be tried again later. */
    public List<SwarmAction<P>> peerLost(P peer) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.get(peer);
        if (p == null || p.state == State.GONE || p.state == State.DROPPED) {
            return end(out);
        }
        leaveReady(p);
        p.state = State.GONE;
        p.choked = false; // choking is per connection
        p.cancelled.clear();
        returnToPool(p);
        fillAll(out);
        return end(out);
    }

    /**
     * The adapter forgets {@code peer}, which is not connected (lost, or never reached): so does the swarm.
     * A dropped peer is kept, so that it is never asked again.
     */
    public List<SwarmAction<P>> peerForgotten(P peer) {
        Peer p = peers.get(peer);
        if (p != null && p.state != State.DROPPED && p.state != State.READY) {
            returnToPool(p); // nothing is in flight at a peer that is not ready; kept for safety
            peers.remove(peer);
        }
        return end(new ArrayList<>());
    }

    /**
     * Cancels every request older than the request timeout and gives its chunk to another peer. The
     * adapter calls this from a periodic timer.
     */
    public List<SwarmAction<P>> checkTimeouts() {
        List<SwarmAction<P>> out = new ArrayList<>();
        if (ended) {
            return out;
        }
        Instant deadline = clock.instant().minus(requestTimeout);
        for (Map.Entry<P, Peer> e : peers.entrySet()) {
            Peer p = e.getValue();
            for (Iterator<Map.Entry<Integer, Sent>> it = p.inFlight.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Integer, Sent> request = it.next();
                if (request.getValue().at().isBefore(deadline)) {
                    it.remove();
                    outstanding--;
                    p.arrived.clear(request.getKey());
                    int index = request.getKey();
                    if (p.probe == index) {
                        p.probe = -1;
                    }
                    p.avoid.set(index);
                    p.cancelled.add(index);
                    out.add(new SwarmAction.Cancel<>(e.getKey(), index));
                    release(index);
                }
            }
        }
        fillAll(out);
        return end(out);
    }

    public int chunkCount() {
        return chunkCount;
    }

    /** Requests outstanding across all peers. */
    public int inFlight() {
        return outstanding;
    }

    public int verifiedCount() {
        return verified.cardinality();
    }

    /** A copy of the verified chunks. */
    public BitSet verified() {
        return (BitSet) verified.clone();
    }

    /** True once chunk {@code index} is verified (resumed ones included). */
    public boolean isVerified(int index) {
        return verified.get(index);
    }

    public boolean isComplete() {
        return verified.cardinality() == chunkCount;
    }

    public boolean isDropped(P peer) {
        Peer p = peers.get(peer);
        return p != null && p.state == State.DROPPED;
    }

    private Peer newPeer() {
        return new Peer(adaptive ? Optional.of(new PipelineDepth(maxInFlightPerPeer)) : Optional.empty());
    }

    private List<SwarmAction<P>> drop(P peer, String reason) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.computeIfAbsent(peer, k -> newPeer());
        if (p.state == State.DROPPED || ended) {
            return out;
        }
        leaveReady(p);
        p.state = State.DROPPED;
        returnToPool(p);
        out.add(new SwarmAction.Drop<>(peer, reason));
        fillAll(out);
        return end(out);
    }

    private void leaveReady(Peer p) {
        if (p.state == State.READY) {
            picker.holdersChanged(p.has, -1);
        }
    }

    private void returnToPool(Peer p) {
        takeAllInFlight(p).forEach(this::release);
    }

    /** Removes one request of {@code p}'s; the record of when it went out, or null if there was none. */
    private Sent takeInFlight(Peer p, int index) {
        Sent sent = p.inFlight.remove(index);
        if (sent != null) {
            outstanding--;
            p.arrived.clear(index);
            if (p.probe == index) {
                p.probe = -1;
            }
        }
        return sent;
    }

    /** Removes all of {@code p}'s requests and returns their chunks, oldest first. */
    private List<Integer> takeAllInFlight(Peer p) {
        List<Integer> indices = new ArrayList<>(p.inFlight.keySet());
        p.inFlight.clear();
        p.arrived.clear();
        p.probe = -1;
        outstanding -= indices.size();
        return indices;
    }

    /** A request for {@code index} ended without the chunk: back to the pool unless another peer has it in flight. */
    private void release(int index) {
        if (verified.get(index)) {
            return;
        }
        for (Peer q : peers.values()) {
            if (q.inFlight.containsKey(index)) {
                return;
            }
        }
        picker.released(index);
    }

    private void fillAll(List<SwarmAction<P>> out) {
        if (capBinds()) {
            fillFairly(out);
            return;
        }
        for (Map.Entry<P, Peer> e : peers.entrySet()) {
            if (e.getValue().state == State.READY) {
                fill(e.getKey(), e.getValue(), out);
            }
        }
    }

    /** True when filling every peer to its depth would pass {@code maxInFlight}. */
    private boolean capBinds() {
        long wanted = outstanding;
        for (Peer p : peers.values()) {
            if (hasRoom(p)) {
                wanted += p.depth(maxInFlightPerPeer) - p.inFlight.size();
            }
        }
        return wanted > maxInFlight;
    }

    private boolean hasRoom(Peer p) {
        return p.state == State.READY && !p.choked && p.inFlight.size() < p.depth(maxInFlightPerPeer);
    }

    /**
     * One request at a time, each to the peer with room and the fewest outstanding (of those, the one asked
     * least recently, so equals take turns), until the cap.
     */
    private void fillFairly(List<SwarmAction<P>> out) {
        Set<Peer> nothingToAsk = new HashSet<>();
        while (outstanding < maxInFlight) {
            Map.Entry<P, Peer> next = null;
            for (Map.Entry<P, Peer> e : peers.entrySet()) {
                Peer p = e.getValue();
                if (hasRoom(p) && !nothingToAsk.contains(p) && (next == null || before(p, next.getValue()))) {
                    next = e;
                }
            }
            if (next == null) {
                return;
            }
            if (!requestOne(next.getKey(), next.getValue(), out)) {
                nothingToAsk.add(next.getValue());
            }
        }
    }

    private static boolean before(Peer p, Peer q) {
        return p.inFlight.size() != q.inFlight.size() ? p.inFlight.size() < q.inFlight.size()
                : p.lastAsked < q.lastAsked;
    }

    private void fill(P peer, Peer p, List<SwarmAction<P>> out) {
        while (hasRoom(p) && outstanding < maxInFlight && requestOne(peer, p, out)) {
            // one request per turn
        }
    }

    /** Asks {@code p} for the best chunk it can give; false if there is none. */
    private boolean requestOne(P peer, Peer p, List<SwarmAction<P>> out) {
        int index = pick(p);
        if (index < 0 && !picker.hasUnrequested()) {
            index = endgamePick(p);
        }
        if (index < 0) {
            return false;
        }
        picker.requested(index);
        if (!p.has.get(index)) {
            p.probe = index;
        }
        p.inFlight.put(index, new Sent(clock.instant(), p.inFlight.isEmpty()));
        outstanding++;
        p.lastAsked = ++requestsMade;
        out.add(new SwarmAction.Request<>(peer, index));
        return true;
    }

    /**
     * Urgent chunks first (ones {@code p} holds; else, as a probe, one no ready peer says it holds); then, in
     * sequential order, mostly the first missing one; else the rarest.
     */
    private int pick(Peer p) {
        int index = urgent.isEmpty() ? -1 : urgent.pick(p.has, p.avoid, picker::isPickable);
        if (index < 0 && !urgent.isEmpty() && p.probe < 0 && !p.probeDeclined) {
            index = urgent.pick(i -> !p.has.get(i) && !p.avoid.get(i) && picker.isPickable(i) && !announced(i));
        }
        if (index < 0 && order == ChunkOrder.SEQUENTIAL && ++orderedPicks % RAREST_SHARE != 0) {
            index = firstPickable(p);
        }
        return index >= 0 ? index : picker.pick(p.has, p.avoid);
    }

    /** True when a ready peer says it holds chunk {@code index}. */
    private boolean announced(int index) {
        for (Peer q : peers.values()) {
            if (q.state == State.READY && q.has.get(index)) {
                return true;
            }
        }
        return false;
    }

    /** The lowest missing, unrequested chunk {@code p} holds and may be asked for; -1 if none. */
    private int firstPickable(Peer p) {
        for (int i = verified.nextClearBit(0); i < chunkCount; i = verified.nextClearBit(i + 1)) {
            if (p.has.get(i) && !p.avoid.get(i) && picker.isPickable(i)) {
                return i;
            }
        }
        return -1;
    }

    /** In the endgame: a missing chunk in flight elsewhere, not at {@code p}, with the fewest copies requested. */
    private int endgamePick(Peer p) {
        int pick = -1;
        int fewest = MAX_ENDGAME_COPIES;
        for (int i = verified.nextClearBit(0); i < chunkCount; i = verified.nextClearBit(i + 1)) {
            if (!p.has.get(i) || p.avoid.get(i) || p.inFlight.containsKey(i) || p.cancelled.contains(i)) {
                continue;
            }
            int copies = 0;
            for (Peer q : peers.values()) {
                if (q.inFlight.containsKey(i)) {
                    copies++;
                }
            }
            if (copies < fewest) {
                fewest = copies;
                pick = i;
            }
        }
        return pick;
    }

    /** Appends the terminal action the first time the swarm is complete or out of usable peers. */
    private List<SwarmAction<P>> end(List<SwarmAction<P>> out) {
        if (ended) {
            return out;
        }
        if (isComplete()) {
            ended = true;
            out.add(new SwarmAction.Complete<>());
        } else if (peers.values().stream().noneMatch(p -> p.state == State.CONNECTING || p.state == State.READY)) {
            ended = true;
            out.add(new SwarmAction.Fail<>("no usable peer left with " + verifiedCount() + " of " + chunkCount
                    + " chunks verified"));
        }
        return out;
    }
}
