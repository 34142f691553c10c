package dev.kadshare.transfer.link;

import dev.kadshare.net.Ed25519Keys;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The handshake payload by which a side proves its node identity: its Ed25519 public key (32 bytes) and its
 * Ed25519 signature (64 bytes) of "kadshare link v1 static key" followed by its Noise static public key. The node
 * id is SHA-256 of that Ed25519 key.
 */
final class IdentityProof {
    static final int BYTES = Ed25519Keys.PUBLIC_BYTES + 64;
    static final byte[] DOMAIN = "kadshare link v1 static key".getBytes(StandardCharsets.US_ASCII);

    private IdentityProof() {
    }

    static byte[] of(LinkIdentity identity) {
        byte[] signature = identity.sign(signedMessage(identity.noiseStatic().publicKey()));
        byte[] out = Arrays.copyOf(identity.publicKey(), BYTES);
        System.arraycopy(signature, 0, out, Ed25519Keys.PUBLIC_BYTES, signature.length);
        return out;
    }

    /** The node id proven by {@code payload} for the Noise static key the handshake proved, or why not. */
    static Optional<PeerId> verify(byte[] payload, byte[] noiseStatic) {
        if (payload.length != BYTES) {
            return Optional.empty();
        }
        byte[] key = Arrays.copyOf(payload, Ed25519Keys.PUBLIC_BYTES);
        if (!Ed25519Keys.verifies(key, signedMessage(noiseStatic), payload, Ed25519Keys.PUBLIC_BYTES,
                BYTES - Ed25519Keys.PUBLIC_BYTES)) {
            return Optional.empty();
        }
        return Optional.of(PeerId.of(Sha256.of(key)));
    }

    static byte[] signedMessage(byte[] noiseStatic) {
        byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + noiseStatic.length);
        System.arraycopy(noiseStatic, 0, out, DOMAIN.length, noiseStatic.length);
        return out;
    }
}
