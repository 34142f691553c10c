package dev.kadshare.dht.identity;

import java.util.Arrays;
import java.util.Optional;

/**
 * One node's session keys by peer public key, in a lossy cache of fixed size (a slot per key, chosen by its first
 * bytes): a few dozen bytes per slot whatever the network's size; a miss derives the key again. A key derived for a
 * request never takes the slot of one whose holder answered a request of ours, so a flood of requests with fresh
 * keys, spoofed or not, cannot push the node's own contacts out.
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
     * (its holder raised to {@code standing} if that is {@link Standing#ANSWERED_US}), else {@link #derive}d.
     */
    public Optional<byte[]> keyFor(byte[] theirs, Standing standing) {
        Optional<byte[]> known = known(theirs);
        if (known.isEmpty()) {
            return derive(theirs, standing);
        }
        if (standing == Standing.ANSWERED_US) {
            standings[slot(theirs)] = standing;
        }
        return known;
    }

    /**
     * Derives the session key with {@code theirs} without looking for a kept one (for a caller that just did), or empty
     * when it is no usable key; it is kept unless its slot holds one of a node that answered us and this one only asked.
     */
    public Optional<byte[]> derive(byte[] theirs, Standing standing) {
        if (theirs.length != DhtKey.BYTES) {
            return Optional.empty();
        }
        Optional<byte[]> derived = derivation.derive(own, theirs);
        int slot = slot(theirs);
        if (derived.isPresent() && !(standing == Standing.ASKED_US && standings[slot] == Standing.ANSWERED_US)) {
            int at = slot * DhtKey.BYTES;
            System.arraycopy(theirs, 0, peers, at, DhtKey.BYTES);
            System.arraycopy(derived.get(), 0, keys, at, DhtKey.BYTES);
            standings[slot] = standing;
        }
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

    private int slot(byte[] theirs) {
        return ((theirs[0] & 0xff) | (theirs[1] & 0xff) << 8 | (theirs[2] & 0xff) << 16) & mask;
    }
}
