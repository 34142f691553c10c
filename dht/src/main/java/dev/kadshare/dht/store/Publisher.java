package dev.kadshare.dht.store;

import dev.kadshare.net.Ed25519Keys;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.EdECPublicKey;

/** The Ed25519 key a node signs its records with (the JDK's provider); the record's publisher. */
public final class Publisher {
    private final PrivateKey signingKey;
    private final byte[] publicKey;

    private Publisher(KeyPair pair) {
        this.signingKey = pair.getPrivate();
        this.publicKey = Ed25519Keys.encode((EdECPublicKey) pair.getPublic());
    }

    /** The publisher of a 32-byte Ed25519 seed (RFC 8032 private key), e.g. the node's identity key. */
    public static Publisher fromSeed(byte[] seed) {
        return new Publisher(Ed25519Keys.fromSeed(seed));
    }

    /** The 32-byte public key every record of this publisher names. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] sign(byte[] message) {
        return Ed25519Keys.sign(signingKey, message);
    }
}
