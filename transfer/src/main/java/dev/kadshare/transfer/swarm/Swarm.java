package dev.kadshare.transfer.swarm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which chunk to request from which peer. Pure state machine: events in, {@link SwarmAction}s
 * out; no I/O, no clock, no threads, not thread-safe (one owner, e.g. an event loop).
 *
 * <p>Every peer is assumed to hold every chunk (no BITFIELD yet); chunks go out lowest index first, up
 * to {@code maxInFlightPerPeer} per peer. A peer that sends a bad chunk or breaks the protocol is dropped
 * for good; a peer that disconnects gives its in-flight chunks back to the pool.
 *
 * @param <P> how the adapter names a peer (an address, a connection, a simulated node)
 */
public final class Swarm<P> {
    private enum State { CONNECTING, READY, GONE, DROPPED }

    private static final class Peer {
        State state = State.CONNECTING;
        final Set<Integer> inFlight = new LinkedHashSet<>();
    }

    private final int chunkCount;
    private final int maxInFlightPerPeer;
    private final BitSet verified = new BitSet();
    /** Chunks neither verified nor in flight, lowest first. */
    private final TreeSet<Integer> pool = new TreeSet<>();
    private final Map<P, Peer> peers = new LinkedHashMap<>();
    private boolean ended;

    public Swarm(int chunkCount, int maxInFlightPerPeer) {
        this(chunkCount, maxInFlightPerPeer, new BitSet());
    }

    /** A swarm resuming a download that already holds the chunks in {@code alreadyVerified}. */
    public Swarm(int chunkCount, int maxInFlightPerPeer, BitSet alreadyVerified) {
        if (chunkCount < 0 || maxInFlightPerPeer < 1) {
            throw new IllegalArgumentException("chunkCount " + chunkCount + ", maxInFlightPerPeer " + maxInFlightPerPeer);
        }
        this.chunkCount = chunkCount;
        this.maxInFlightPerPeer = maxInFlightPerPeer;
        verified.or(alreadyVerified);
        for (int i = verified.nextClearBit(0); i < chunkCount; i = verified.nextClearBit(i + 1)) {
            pool.add(i);
        }
    }

    /** A connection attempt to {@code peer} has started: it counts as usable until it fails. */
    public List<SwarmAction<P>> peerConnecting(P peer) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.computeIfAbsent(peer, k -> new Peer());
        if (p.state == State.GONE) {
            p.state = State.CONNECTING;
        }
        return end(out);
    }

    /** {@code peer} completed the handshake and can be asked for chunks. */
    public List<SwarmAction<P>> peerReady(P peer) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.computeIfAbsent(peer, k -> new Peer());
        if (p.state != State.DROPPED && !ended) {
            p.state = State.READY;
            fill(peer, p, out);
        }
        return end(out);
    }

    /** True when {@code index} was requested from {@code peer} and not yet answered. */
    public boolean isAwaiting(P peer, int index) {
        Peer p = peers.get(peer);
        return p != null && p.inFlight.contains(index);
    }

    /** True when {@code peer} owes us at least one chunk. */
    public boolean hasInFlight(P peer) {
        Peer p = peers.get(peer);
        return p != null && !p.inFlight.isEmpty();
    }

    /** The adapter checked chunk {@code index} from {@code peer} against the manifest and it matched. */
    public List<SwarmAction<P>> chunkVerified(P peer, int index) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.get(peer);
        if (p == null || ended || !p.inFlight.remove(index)) {
            return out;
        }
        verified.set(index);
        if (p.state == State.READY) {
            fill(peer, p, out);
        }
        return end(out);
    }

    /** Chunk {@code index} from {@code peer} failed verification: drop the sender, ask someone else. */
    public List<SwarmAction<P>> chunkFailed(P peer, int index) {
        return drop(peer, "sent chunk " + index + " that failed verification");
    }

    /** {@code peer} broke the protocol (unrequested chunk, rejected a request, garbage): drop it. */
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
        p.state = State.GONE;
        returnToPool(p);
        fillAll(out);
        return end(out);
    }

    public int chunkCount() {
        return chunkCount;
    }

    public int verifiedCount() {
        return verified.cardinality();
    }

    public boolean isComplete() {
        return verified.cardinality() == chunkCount;
    }

    public boolean isDropped(P peer) {
        Peer p = peers.get(peer);
        return p != null && p.state == State.DROPPED;
    }

    private List<SwarmAction<P>> drop(P peer, String reason) {
        List<SwarmAction<P>> out = new ArrayList<>();
        Peer p = peers.computeIfAbsent(peer, k -> new Peer());
        if (p.state == State.DROPPED || ended) {
            return out;
        }
        p.state = State.DROPPED;
        returnToPool(p);
        out.add(new SwarmAction.Drop<>(peer, reason));
        fillAll(out);
        return end(out);
    }

    private void returnToPool(Peer p) {
        pool.addAll(p.inFlight);
        p.inFlight.clear();
    }

    private void fillAll(List<SwarmAction<P>> out) {
        for (Map.Entry<P, Peer> e : peers.entrySet()) {
            if (e.getValue().state == State.READY) {
                fill(e.getKey(), e.getValue(), out);
            }
        }
    }

    private void fill(P peer, Peer p, List<SwarmAction<P>> out) {
        Iterator<Integer> next = pool.iterator();
        while (p.inFlight.size() < maxInFlightPerPeer && next.hasNext()) {
            int index = next.next();
            next.remove();
            p.inFlight.add(index);
            out.add(new SwarmAction.Request<>(peer, index));
        }
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
