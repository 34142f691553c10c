package dev.kadshare.net;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** One Ed25519 signing key, from its 32-byte seed (RFC 8032 private key): a node's identity on its links and records. */
public final class Ed25519Key {
    private final byte[] seed;
    private final byte[] publicKey;

    private Ed25519Key(byte[] seed) {
        this.seed = seed;
        this.publicKey = new byte[Ed25519Keys.PUBLIC_BYTES];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    }

    /** The key of a 32-byte seed. */
    public static Ed25519Key fromSeed(byte[] seed) {
        if (seed.length != Ed25519Keys.SEED_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, not " + seed.length);
        }
        return new Ed25519Key(seed.clone());
    }

    /** The 32-byte encoded public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 64-byte signature of {@code message} (deterministic, as RFC 8032 defines it). */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519Keys.SIGNATURE_BYTES];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }
}
