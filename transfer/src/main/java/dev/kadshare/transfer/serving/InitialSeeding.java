package dev.kadshare.transfer.serving;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the only complete source of some content tells each peer it holds (BitTorrent's super-seeding).
 * Pure state machine, no I/O, not thread-safe; time comes from the clock it is given, read, never waited on.
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
 * <p>A chunk is passed on once it is sent. Silent peers must not freeze this: a reveal the peer has not asked for
 * within {@code revealTimeout} is withdrawn and goes to the next peer in turn, and that peer is <em>stalled</em>,
 * told of nothing more until it asks for something. A peer that has never asked for anything is on probation: it
 * is told of one chunk at a time, outside the {@code maxUnsent} budget, so a crowd of silent connections holds at
 * most one chunk each for a while, never the budget the asking peers share.
 *
 * <p>A peer may also ask for a chunk it was not told of, out of turn (a reader on its side waits for it: a player
 * that seeks). It gets one such chunk at a time, and no more of them than it got in turn, plus one: a reader is
 * served at once, while a peer that asks for everything gets at most twice its share of the first round, not the
 * seeder's whole upload.
 *
 * @param <P> how the adapter names a peer (a connection, a simulated node)
 */
public final class InitialSeeding<P> {
    /** Tell {@code peer} that we hold chunk {@code index} (a HAVE). */
    public record Reveal<P>(P peer, int index) {
    }

    /** One connected peer. */
    private static final class Peer {
        /** What it has been told we hold. */
        final BitSet told = new BitSet();
        /** It asked for a chunk at least once. */
        boolean proven;
        /** A reveal to it expired unasked: told of nothing more until it asks for something. */
        boolean stalled;
        /** While on probation: the chunk it was told of and has not asked for, else -1. */
        int probation = -1;
        /** The chunk it asked for out of turn and was not sent yet, else -1. */
        int outOfTurn = -1;
        /** Chunks sent to it out of turn, and in turn (revealed to it first). */
        int sentOutOfTurn;
        int sentInTurn;
    }

    private final int chunkCount;
    private final int maxUnsent;
    private final Duration revealTimeout;
    private final InstantSource clock;
    /** Chunks sent at least once. */
    private final BitSet sent = new BitSet();
    /** Chunks never revealed, or revealed to a peer that left, cancelled or did not ask in time. */
    private final BitSet unrevealed = new BitSet();
    /** Chunks every peer that may be told was told of, none asked and none sent: back in the pool when that changes. */
    private final BitSet toldEveryone = new BitSet();
    /** Revealed chunk not yet sent -> the peer it was revealed to. */
    private final Map<Integer, P> unsent = new HashMap<>();
    /** Revealed chunks not yet asked for -> when they were revealed, oldest first. */
    private final LinkedHashMap<Integer, Instant> unasked = new LinkedHashMap<>();
    /** Reveals to peers on probation, not yet asked for: outside the budget. */
    private int onProbation;
    private final Map<P, Peer> peers = new LinkedHashMap<>();
    /** Connected peers not told of any chunk yet: they come first, so new chunks start at as many peers as possible. */
    private final ArrayDeque<P> fresh = new ArrayDeque<>();
    /** The other connected peers, in the order they get the next reveal. */
    private final ArrayDeque<P> turns = new ArrayDeque<>();

    /**
     * @param maxUnsent chunks revealed and not yet sent at any time, over the peers that asked for something
     * @param revealTimeout how long a reveal may go unasked before it is withdrawn
     * @param clock when reveals were made; read, never waited on
     */
    public InitialSeeding(int chunkCount, int maxUnsent, Duration revealTimeout, InstantSource clock) {
        if (chunkCount < 0 || maxUnsent < 1 || revealTimeout.isNegative() || revealTimeout.isZero()) {
            throw new IllegalArgumentException("chunkCount " + chunkCount + ", maxUnsent " + maxUnsent
                    + ", revealTimeout " + revealTimeout);
        }
        this.chunkCount = chunkCount;
        this.maxUnsent = maxUnsent;
        this.revealTimeout = revealTimeout;
        this.clock = clock;
        unrevealed.set(0, chunkCount);
    }

    /**
     * {@code peer} completed the handshake: returns the BITFIELD to send it, which is every chunk once the
     * first round is over; before that, the chunk revealed to it now (it is not told of it again by a
     * {@link Reveal}).
     */
    public BitSet peerJoined(P peer) {
        if (peers.containsKey(peer)) {
            throw new IllegalStateException("peer joined twice: " + peer);
        }
        Peer p = new Peer();
        peers.put(peer, p);
        fresh.add(peer);
        giveBackToldEveryone();
        if (isOver()) {
            p.told.set(0, chunkCount);
        } else {
            revealNext(); // only this peer can be chosen: every other peer was told of whatever is left
        }
        return (BitSet) p.told.clone();
    }

    /** The connection to {@code peer} closed: what it was told but not sent goes to the next peers. */
    public List<Reveal<P>> peerLeft(P peer) {
        Peer p = peers.remove(peer);
        if (p == null) {
            return List.of();
        }
        fresh.remove(peer);
        turns.remove(peer);
        withdrawProbation(p);
        giveBackOutOfTurn(p);
        unsent.entrySet().removeIf(e -> {
            if (e.getValue().equals(peer)) {
                unrevealed.set(e.getKey());
                unasked.remove(e.getKey());
                return true;
            }
            return false;
        });
        return revealNext();
    }

    /**
     * {@code peer} asks for chunk {@code index}, which it was not told of: true if it may have it now (and it counts
     * as told of it), false to decline. One chunk out of turn at a time, and no more than one beyond those it was
     * sent in turn; once the first round is over every chunk may be asked for.
     */
    public boolean mayHave(P peer, int index) {
        Peer p = peers.get(peer);
        if (p == null || index < 0 || index >= chunkCount) {
            return false;
        }
        if (isOver() || p.told.get(index)) {
            return true;
        }
        if (p.outOfTurn >= 0 || p.sentOutOfTurn > p.sentInTurn) {
            return false;
        }
        p.outOfTurn = index;
        p.told.set(index);
        // Not revealed to anyone else meanwhile: it goes to this peer now.
        unrevealed.clear(index);
        toldEveryone.clear(index);
        return true;
    }

    /**
     * {@code peer} asked for chunk {@code index}: the reveal is taken up (it no longer expires), and the peer is off
     * probation and no longer stalled, so it may be told of more.
     */
    public List<Reveal<P>> requested(P peer, int index) {
        Peer p = peers.get(peer);
        if (p == null || isOver()) {
            return List.of();
        }
        if (peer.equals(unsent.get(index))) {
            unasked.remove(index);
        }
        boolean mayBeToldAgain = !p.proven || p.stalled;
        withdrawProbation(p); // proven: what it was told counts against the budget from now on
        p.proven = true;
        p.stalled = false;
        if (mayBeToldAgain) {
            giveBackToldEveryone();
        }
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
        Peer p = peers.get(peer);
        if (p != null && p.outOfTurn == index) {
            p.outOfTurn = -1;
            p.sentOutOfTurn++;
        } else if (p != null && p.told.get(index)) {
            p.sentInTurn++;
        }
        sent.set(index);
        unrevealed.clear(index); // sent on request without a reveal (a peer that had it from elsewhere): it is out
        toldEveryone.clear(index);
        forgetReveal(index);
        return isOver() ? revealAll() : revealNext();
    }

    /**
     * {@code peer} took back its request for {@code index} before it went out (CANCEL), or we declined
     * it: unless it was since sent, the chunk goes to the next peer in turn.
     */
    public List<Reveal<P>> requestDropped(P peer, int index) {
        Peer p = peers.get(peer);
        if (!isOver() && p != null && p.outOfTurn == index) {
            p.told.clear(index);
            giveBackOutOfTurn(p);
            return revealNext();
        }
        if (isOver() || !peer.equals(unsent.get(index))) {
            return List.of();
        }
        forgetReveal(index);
        unrevealed.set(index);
        return revealNext();
    }

    /**
     * Withdraws every reveal not asked for within the reveal timeout (each goes to the next peer in turn; its peer is
     * stalled) and returns the new reveals.
     */
    public List<Reveal<P>> expire() {
        if (isOver()) {
            return List.of();
        }
        Instant now = clock.instant();
        boolean any = false;
        for (Iterator<Map.Entry<Integer, Instant>> it = unasked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Instant> e = it.next();
            if (e.getValue().plus(revealTimeout).isAfter(now)) {
                break; // the rest are younger
            }
            it.remove();
            int index = e.getKey();
            Peer p = peers.get(unsent.remove(index));
            if (p != null) {
                withdrawProbation(p);
                p.stalled = true;
            }
            unrevealed.set(index);
            any = true;
        }
        return any ? revealNext() : List.of();
    }

    /** When the oldest reveal not asked for expires; empty if there is none. */
    public Optional<Instant> nextExpiry() {
        if (isOver() || unasked.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(unasked.values().iterator().next().plus(revealTimeout));
    }

    /** True when {@code peer} has been told we hold {@code index}: the only chunks to serve it. */
    public boolean isRevealed(P peer, int index) {
        Peer p = peers.get(peer);
        return p != null && p.told.get(index);
    }

    /** True once every chunk has been sent at least once: the seeder is a plain seeder from then on. */
    public boolean isOver() {
        return sent.cardinality() == chunkCount;
    }

    /** Chunk {@code index} is no longer revealed-and-unsent: neither unsent, nor unasked, nor anyone's probation. */
    private void forgetReveal(int index) {
        P owner = unsent.remove(index);
        unasked.remove(index);
        Peer p = owner == null ? null : peers.get(owner);
        if (p != null && p.probation == index) {
            withdrawProbation(p);
        }
    }

    /** {@code p}'s chunk out of turn will not be sent to it: back to the pool, unless it is out or revealed already. */
    private void giveBackOutOfTurn(Peer p) {
        int index = p.outOfTurn;
        p.outOfTurn = -1;
        if (index >= 0 && !sent.get(index) && !unsent.containsKey(index)) {
            unrevealed.set(index);
        }
    }

    private void withdrawProbation(Peer p) {
        if (p.probation >= 0) {
            p.probation = -1;
            onProbation--;
        }
    }

    private void giveBackToldEveryone() {
        unrevealed.or(toldEveryone);
        toldEveryone.clear();
    }

    /**
     * Fills the free reveals, lowest unrevealed chunk first, each to the next peer in turn that may be told and was
     * not told of it yet; a chunk every such peer was already told of (their requests were dropped) waits for any of
     * them to ask again, or for a new peer.
     */
    private List<Reveal<P>> revealNext() {
        List<Reveal<P>> out = new ArrayList<>();
        while (!unrevealed.isEmpty()) {
            boolean budgetFree = unsent.size() - onProbation < maxUnsent;
            int index = unrevealed.nextSetBit(0);
            Choice<P> chosen = nextToTell(index, budgetFree);
            if (chosen instanceof Choice.Nobody<P>) {
                break; // nobody may be told of anything now
            }
            unrevealed.clear(index);
            if (!(chosen instanceof Choice.Tell<P> tell)) {
                toldEveryone.set(index); // every peer that may be told was told of it
                continue;
            }
            P peer = tell.peer();
            Peer p = peers.get(peer);
            p.told.set(index);
            unsent.put(index, peer);
            unasked.put(index, clock.instant());
            if (!p.proven) {
                p.probation = index;
                onProbation++;
            }
            out.add(new Reveal<>(peer, index));
        }
        return out;
    }

    /** A peer that asked for something may be told more while the budget allows; one on probation, one chunk. */
    private boolean mayTell(Peer p, boolean budgetFree) {
        return !p.stalled && (p.proven ? budgetFree : p.probation < 0);
    }

    /** Whom to tell of a chunk. */
    private sealed interface Choice<P> {
        /** This peer, moved to the back of the turns. */
        record Tell<P>(P peer) implements Choice<P> {
        }

        /** Every peer that may be told was told of it already. */
        record AllTold<P>() implements Choice<P> {
        }

        /** No peer may be told of anything now. */
        record Nobody<P>() implements Choice<P> {
        }
    }

    /** The next peer in turn that may be told and was not told of {@code index}. */
    private Choice<P> nextToTell(int index, boolean budgetFree) {
        for (Iterator<P> it = fresh.iterator(); it.hasNext(); ) {
            P peer = it.next();
            if (mayTell(peers.get(peer), budgetFree)) {
                it.remove();
                turns.add(peer);
                return new Choice.Tell<>(peer);
            }
        }
        boolean anyMay = false;
        for (int tries = turns.size(); tries > 0; tries--) {
            P peer = turns.poll();
            turns.add(peer);
            Peer p = peers.get(peer);
            if (mayTell(p, budgetFree)) {
                anyMay = true;
                if (!p.told.get(index)) {
                    return new Choice.Tell<>(peer);
                }
            }
        }
        return anyMay ? new Choice.AllTold<>() : new Choice.Nobody<>();
    }

    private List<Reveal<P>> revealAll() {
        List<Reveal<P>> out = new ArrayList<>();
        unasked.clear();
        for (Map.Entry<P, Peer> e : peers.entrySet()) {
            BitSet told = e.getValue().told;
            for (int i = told.nextClearBit(0); i < chunkCount; i = told.nextClearBit(i + 1)) {
                out.add(new Reveal<>(e.getKey(), i));
            }
            told.set(0, chunkCount);
        }
        return out;
    }
}
