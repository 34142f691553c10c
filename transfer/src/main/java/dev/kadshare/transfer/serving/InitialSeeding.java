package dev.kadshare.transfer.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the only complete source of some content tells each peer it holds (BitTorrent's super-seeding).
 * Pure state machine, no I/O, not thread-safe.
 *
 * <p>A seeder that advertises everything to everyone uploads the same rare chunk to several peers that
 * ask for it at once, so its upload, the one scarce resource while nobody else has the whole file, injects
 * new chunks at a fraction of its rate. Here the seeder reveals each chunk to one peer only, at most
 * {@code maxUnsent} chunks revealed and not yet sent at a time (enough to keep its upload busy across a
 * round trip, few enough that no request waits long), handing them out to its peers in turn. A peer hears
 * of a new chunk (HAVE) when a revealed one has gone out, so every byte of the first round is a chunk the
 * swarm did not have, and the peers spread it among themselves. Once every chunk has been sent once the
 * round is over and the seeder reveals everything to everyone, as a plain seeder.
 *
 * @param <P> how the adapter names a peer (a connection, a simulated node)
 */
public final class InitialSeeding<P> {
    /** Tell {@code peer} that we hold chunk {@code index} (a HAVE). */
    public record Reveal<P>(P peer, int index) {
    }

    private final int chunkCount;
    private final int maxUnsent;
    /** Chunks sent at least once. */
    private final BitSet sent = new BitSet();
    /** Chunks never revealed, or revealed to a peer that left or cancelled before they went out. */
    private final BitSet unrevealed = new BitSet();
    /** Chunks every connected peer was told of, none asked and none sent: back in the pool when a peer joins. */
    private final BitSet toldEveryone = new BitSet();
    /** Revealed chunk not yet sent -> the peer it was revealed to. */
    private final Map<Integer, P> unsent = new HashMap<>();
    /** What each connected peer has been told we hold. */
    private final Map<P, BitSet> revealed = new LinkedHashMap<>();
    /** Connected peers not told of any chunk yet: they come first, so new chunks start at as many peers as possible. */
    private final ArrayDeque<P> fresh = new ArrayDeque<>();
    /** The other connected peers, in the order they get the next reveal. */
    private final ArrayDeque<P> turns = new ArrayDeque<>();

    /** @param maxUnsent chunks revealed and not yet sent at any time, over all peers */
    public InitialSeeding(int chunkCount, int maxUnsent) {
        if (chunkCount < 0 || maxUnsent < 1) {
            throw new IllegalArgumentException("chunkCount " + chunkCount + ", maxUnsent " + maxUnsent);
        }
        this.chunkCount = chunkCount;
        this.maxUnsent = maxUnsent;
        unrevealed.set(0, chunkCount);
    }

    /**
     * {@code peer} completed the handshake: returns the BITFIELD to send it, which is every chunk once the
     * first round is over; before that, the chunks revealed to it now if a reveal was free (it is not told
     * of them again by a {@link Reveal}).
     */
    public BitSet peerJoined(P peer) {
        if (revealed.containsKey(peer)) {
            throw new IllegalStateException("peer joined twice: " + peer);
        }
        revealed.put(peer, new BitSet());
        fresh.add(peer);
        unrevealed.or(toldEveryone);
        toldEveryone.clear();
        if (isOver()) {
            revealed.get(peer).set(0, chunkCount);
        } else {
            revealNext(); // only this peer can be chosen: every other peer was told of whatever is left
        }
        return (BitSet) revealed.get(peer).clone();
    }

    /** The connection to {@code peer} closed: what it was told but not sent goes to the next peers. */
    public List<Reveal<P>> peerLeft(P peer) {
        if (revealed.remove(peer) == null) {
            return List.of();
        }
        fresh.remove(peer);
        turns.remove(peer);
        unsent.entrySet().removeIf(e -> {
            if (e.getValue().equals(peer)) {
                unrevealed.set(e.getKey());
                return true;
            }
            return false;
        });
        return revealNext();
    }

    /**
     * Chunk {@code index} went out to {@code peer}: the next reveals. After the last chunk of the first
     * round, every peer is told of every chunk it was not told of yet.
     */
    public List<Reveal<P>> chunkSent(P peer, int index) {
        if (index < 0 || index >= chunkCount || isOver()) {
            return List.of();
        }
        sent.set(index);
        unrevealed.clear(index); // sent on request without a reveal (a peer that had it from elsewhere): it is out
        toldEveryone.clear(index);
        unsent.remove(index);
        return isOver() ? revealAll() : revealNext();
    }

    /**
     * {@code peer} took back its request for {@code index} before it went out (CANCEL), or we declined
     * it: unless it was since sent, the chunk goes to the next peer in turn.
     */
    public List<Reveal<P>> requestDropped(P peer, int index) {
        if (isOver() || !peer.equals(unsent.get(index))) {
            return List.of();
        }
        unsent.remove(index);
        unrevealed.set(index);
        return revealNext();
    }

    /** True when {@code peer} has been told we hold {@code index}: the only chunks to serve it. */
    public boolean isRevealed(P peer, int index) {
        BitSet told = revealed.get(peer);
        return told != null && told.get(index);
    }

    /** True once every chunk has been sent at least once: the seeder is a plain seeder from then on. */
    public boolean isOver() {
        return sent.cardinality() == chunkCount;
    }

    /**
     * Fills the free reveals, lowest unrevealed chunk first, each to the next peer in turn that was not told
     * of it yet; a chunk every peer was already told of (their requests were dropped) waits for any of them
     * to ask again, or for a new peer.
     */
    private List<Reveal<P>> revealNext() {
        List<Reveal<P>> out = new ArrayList<>();
        while (unsent.size() < maxUnsent && !unrevealed.isEmpty() && !revealed.isEmpty()) {
            int index = unrevealed.nextSetBit(0);
            unrevealed.clear(index);
            P peer = nextNotTold(index);
            if (peer == null) {
                toldEveryone.set(index);
            } else {
                revealed.get(peer).set(index);
                unsent.put(index, peer);
                out.add(new Reveal<>(peer, index));
            }
        }
        return out;
    }

    /** The next peer in turn not told of {@code index}, moved to the back of the turns; null if none. */
    private P nextNotTold(int index) {
        if (!fresh.isEmpty()) {
            P peer = fresh.poll();
            turns.add(peer);
            return peer;
        }
        for (int tries = turns.size(); tries > 0; tries--) {
            P peer = turns.poll();
            turns.add(peer);
            if (!revealed.get(peer).get(index)) {
                return peer;
            }
        }
        return null;
    }

    private List<Reveal<P>> revealAll() {
        List<Reveal<P>> out = new ArrayList<>();
        for (Map.Entry<P, BitSet> e : revealed.entrySet()) {
            BitSet told = e.getValue();
            for (int i = told.nextClearBit(0); i < chunkCount; i = told.nextClearBit(i + 1)) {
                out.add(new Reveal<>(e.getKey(), i));
            }
            told.set(0, chunkCount);
        }
        return out;
    }
}
