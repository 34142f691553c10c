package dev.kadshare.dht.identity;

import java.util.Arrays;
import java.util.Optional;

/**
 * One node's session keys by peer public key, in a lossy cache of fixed size (a slot per key, chosen by its first
 * bytes): a few dozen bytes per slot whatever the network's size; a miss derives the key again.
 */
public final class Sessions {
    private final DhtKey own;
    private final SessionKeys derivation;
    private final int mask;
    private final byte[] peers;
    private final byte[] keys;
    private final boolean[] used;

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
        this.used = new boolean[slots];
    }

    /** The session key with the node whose public key is {@code theirs}, or empty when it is no usable key. */
    public Optional<byte[]> keyFor(byte[] theirs) {
        if (theirs.length != DhtKey.BYTES) {
            return Optional.empty();
        }
        int slot = ((theirs[0] & 0xff) | (theirs[1] & 0xff) << 8 | (theirs[2] & 0xff) << 16) & mask;
        int at = slot * DhtKey.BYTES;
        if (used[slot] && Arrays.equals(peers, at, at + DhtKey.BYTES, theirs, 0, DhtKey.BYTES)) {
            return Optional.of(Arrays.copyOfRange(keys, at, at + DhtKey.BYTES));
        }
        Optional<byte[]> derived = derivation.derive(own, theirs);
        derived.ifPresent(key -> {
            System.arraycopy(theirs, 0, peers, at, DhtKey.BYTES);
            System.arraycopy(key, 0, keys, at, DhtKey.BYTES);
            used[slot] = true;
        });
        return derived;
    }
}
