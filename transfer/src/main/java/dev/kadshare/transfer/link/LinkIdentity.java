package dev.kadshare.transfer.link;

import dev.kadshare.net.Ed25519Key;

import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.link.noise.KeyPair25519;
import java.nio.charset.StandardCharsets;

/**
 * A node's identity on its transfer links: its Ed25519 key (from the node's 32-byte seed), its node id
 * (SHA-256 of the Ed25519 public key, as the node computes it) and its Noise static X25519 key, derived from the
 * seed as SHA-256("kadshare link noise static key v1" || seed) so that it is the same after every restart.
 */
public final class LinkIdentity {
    static final byte[] STATIC_KEY_DOMAIN = "kadshare link noise static key v1".getBytes(StandardCharsets.US_ASCII);

    private final Ed25519Key signingKey;
    private final byte[] nodeId;
    private final KeyPair25519 noiseStatic;

    private LinkIdentity(Ed25519Key signingKey, KeyPair25519 noiseStatic) {
        this.signingKey = signingKey;
        this.nodeId = Sha256.of(signingKey.publicKey());
        this.noiseStatic = noiseStatic;
    }

    /** The identity of a 32-byte Ed25519 seed (RFC 8032 private key). */
    public static LinkIdentity fromSeed(byte[] seed) {
        Ed25519Key signingKey = Ed25519Key.fromSeed(seed);
        byte[] digestInput = new byte[STATIC_KEY_DOMAIN.length + seed.length];
        System.arraycopy(STATIC_KEY_DOMAIN, 0, digestInput, 0, STATIC_KEY_DOMAIN.length);
        System.arraycopy(seed, 0, digestInput, STATIC_KEY_DOMAIN.length, seed.length);
        return new LinkIdentity(signingKey, KeyPair25519.of(Sha256.of(digestInput)));
    }

    /** The 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return signingKey.publicKey();
    }

    /** The 32-byte node id: SHA-256 of the Ed25519 public key. */
    public byte[] nodeId() {
        return nodeId.clone();
    }

    /** The Noise static key pair of this node's links. */
    public KeyPair25519 noiseStatic() {
        return noiseStatic;
    }

    /** An Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message) {
        return signingKey.sign(message);
    }
}
