package dev.kadshare.dht.identity;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One node's session keys by peer public key, in a lossy cache of fixed size (a slot per key, chosen by its first
 * bytes): a few dozen bytes per slot whatever the network's size; a miss derives the key again. A key derived for a
 * request never takes the slot of one whose holder answered a request of ours, so a flood of requests with fresh
 * keys, spoofed or not, cannot push the node's own contacts out. A key claimed by an answer is kept only once the
 * answer proves it ({@link #proven}), so a forged answer keeps nothing; and only an answer whose id is bound to its
 * address keeps it as one that answered us: any node we ask can make a key for a chosen slot (about 1,000 tries for
 * 1,024 slots) and answer under it, but the answers taken from unbound ids (PONG, INTRODUCED) are any stranger's, so
 * theirs are kept as if they had only asked. An answer from a bound id still keeps its key as one that answered us,
 * whatever its slot held: its holder answers one request of ours, from the address its id is bound to.
 */
public final class Sessions {
    /** What we know of a key's holder: it asked us something, or it answered a request of ours. */
    public enum Standing {
        ASKED_US,
        ANSWERED_US
    }

    private final DhtKey own;
    private final SessionKeys derivation;
    private final int mask;
    private final byte[] peers;
    private final byte[] keys;
    /** Each slot's holder's standing; null while the slot is empty. */
    private final Standing[] standings;

    /** {@code slots}: a power of two. */
    public Sessions(DhtKey own, SessionKeys derivation, int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("session slots must be a power of two");
        }
        this.own = own;
        this.derivation = derivation;
        this.mask = slots - 1;
        this.peers = new byte[slots * DhtKey.BYTES];
        this.keys = new byte[slots * DhtKey.BYTES];
        this.standings = new Standing[slots];
    }

    /**
     * The session key with the node whose public key is {@code theirs}, or empty when it is no usable key: the one kept
     * (its holder raised to {@code standing} if that is {@link Standing#ANSWERED_US}), else {@link #derive}d: what
     * {@link #proven} does for an answer that proves itself. For tests; an answer not checked yet goes through
     * {@link #proven}.
     */
    Optional<byte[]> keyFor(byte[] theirs, Standing standing) {
        return proven(theirs, standing, key -> true);
    }

    /**
     * The session key with the node whose public key is {@code theirs}, if an answer claiming that key {@code proves}
     * itself under it (its tag holds), else empty: the one kept, else derived. Only then is it kept with the
     * {@code standing} the answer earns ({@link Standing#ANSWERED_US} from an id bound to its address; else
     * {@link Standing#ASKED_US}, which takes no slot of a node that answered us), a kept one raised to it: an answer
     * that fails leaves every slot as it was (no kept key pushed out by a made-up one, none raised), at the cost of the
     * derivation that checked it.
     */
    public Optional<byte[]> proven(byte[] theirs, Standing standing, Predicate<byte[]> proves) {
        Optional<byte[]> known = known(theirs);
        Optional<byte[]> key = known.or(() -> fresh(theirs));
        if (key.isEmpty() || !proves.test(key.get())) {
            return Optional.empty();
        }
        if (known.isPresent()) {
            raise(theirs, standing);
        } else {
            keepIfItDisplacesNoAnswerer(theirs, key.get(), standing);
        }
        return key;
    }

    /**
     * Derives the session key with {@code theirs} without looking for a kept one (for a caller that just did), or empty
     * when it is no usable key; it is kept unless its slot holds one of a node that answered us and this one only asked.
     */
    public Optional<byte[]> derive(byte[] theirs, Standing standing) {
        Optional<byte[]> derived = fresh(theirs);
        derived.ifPresent(key -> keepIfItDisplacesNoAnswerer(theirs, key, standing));
        return derived;
    }

    /** The session key with {@code theirs} if this node keeps it: nothing derived. */
    public Optional<byte[]> known(byte[] theirs) {
        if (theirs.length != DhtKey.BYTES) {
            return Optional.empty();
        }
        int slot = slot(theirs);
        int at = slot * DhtKey.BYTES;
        if (standings[slot] != null && Arrays.equals(peers, at, at + DhtKey.BYTES, theirs, 0, DhtKey.BYTES)) {
            return Optional.of(Arrays.copyOfRange(keys, at, at + DhtKey.BYTES));
        }
        return Optional.empty();
    }

    /** The session key with {@code theirs} derived, nothing kept; empty when it is no usable key. */
    private Optional<byte[]> fresh(byte[] theirs) {
        return theirs.length == DhtKey.BYTES ? derivation.derive(own, theirs) : Optional.empty();
    }

    /** Raises the kept key of {@code theirs} to {@code standing} if that is {@link Standing#ANSWERED_US}; never lowers it. */
    private void raise(byte[] theirs, Standing standing) {
        if (standing == Standing.ANSWERED_US) {
            standings[slot(theirs)] = standing;
        }
    }

    /** Keeps {@code key} unless its slot holds the key of a node that answered us and this one's holder only asked. */
    private void keepIfItDisplacesNoAnswerer(byte[] theirs, byte[] key, Standing standing) {
        if (!(standing == Standing.ASKED_US && standings[slot(theirs)] == Standing.ANSWERED_US)) {
            keep(theirs, key, standing);
        }
    }

    /** Keeps {@code key} for {@code theirs} in its slot, whatever the slot held. */
    private void keep(byte[] theirs, byte[] key, Standing standing) {
        int slot = slot(theirs);
        int at = slot * DhtKey.BYTES;
        System.arraycopy(theirs, 0, peers, at, DhtKey.BYTES);
        System.arraycopy(key, 0, keys, at, DhtKey.BYTES);
        standings[slot] = standing;
    }

    private int slot(byte[] theirs) {
        return ((theirs[0] & 0xff) | (theirs[1] & 0xff) << 8 | (theirs[2] & 0xff) << 16) & mask;
    }
}
