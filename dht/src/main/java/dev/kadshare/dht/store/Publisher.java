package dev.kadshare.dht.store;

import dev.kadshare.net.Ed25519Key;

/** The Ed25519 key a node signs its records with; the record's publisher. */
public final class Publisher {
    private final Ed25519Key key;

    private Publisher(Ed25519Key key) {
        this.key = key;
    }

    /** The publisher of a 32-byte Ed25519 seed (RFC 8032 private key), e.g. the node's identity key. */
    public static Publisher fromSeed(byte[] seed) {
        return new Publisher(Ed25519Key.fromSeed(seed));
    }

    /** The 32-byte public key every record of this publisher names. */
    public byte[] publicKey() {
        return key.publicKey();
    }

    byte[] sign(byte[] message) {
        return key.sign(message);
    }
}
