package dev.kadshare.dht.identity;

import dev.kadshare.net.X25519;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A node's DHT key: an X25519 key pair. Its public half, hashed and bound to the node's IP ({@link IdRule}), is the
 * node's id, and it proves the id: only the holder of the private half can derive the session keys its answers are
 * authenticated with ({@link SessionKeys}).
 */
public final class DhtKey {
    public static final int BYTES = 32;

    private final byte[] privateKey;
    private final byte[] publicKey;

    private DhtKey(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = X25519.publicKey(privateKey);
    }

    /**
     * The key of a node's 32-byte Ed25519 identity seed: the first half of SHA-512(seed), the scalar RFC 8032 signs
     * with, so the DHT key is the identity key in its Montgomery form (as libsodium converts one to the other).
     */
    public static DhtKey fromIdentitySeed(byte[] seed) {
        if (seed.length != BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        }
        try {
            return new DhtKey(Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(seed), BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required of every JDK", e);
        }
    }

    /** A fresh key from {@code random}: tests and simulations, whose runs repeat from a seed. */
    public static DhtKey generate(RandomGenerator random) {
        byte[] scalar = new byte[BYTES];
        random.nextBytes(scalar);
        return new DhtKey(scalar);
    }

    /** The 32-byte public key, as datagrams carry it. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The same without a copy, for the hot path; callers must not change it. */
    byte[] publicKeyShared() {
        return publicKey;
    }

    byte[] privateKey() {
        return privateKey;
    }
}
