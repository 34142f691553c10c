package dev.kadshare.net;

import java.util.Optional;

/**
 * Curve25519 Diffie-Hellman on raw 32-byte keys (RFC 7748 encodings): the DHT's keys and sessions, the links' Noise
 * handshakes. BouncyCastle's implementation, not the JDK's XDH: here it takes about 65 us where the JDK's takes 111 us
 * (a link handshake's cost, docs/benchmarks.md).
 */
public final class X25519 {
    public static final int KEY_BYTES = org.bouncycastle.math.ec.rfc7748.X25519.POINT_SIZE;

    private X25519() {
    }

    /** The public key of a 32-byte private scalar (clamped, as RFC 7748 says). */
    public static byte[] publicKey(byte[] privateKey) {
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key is 32 bytes, not " + privateKey.length);
        }
        byte[] out = new byte[KEY_BYTES];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, out, 0);
        return out;
    }

    /**
     * X25519(privateKey, publicKey), the top bit of the u-coordinate masked (RFC 7748, section 5); none for keys of
     * another length, or for a small-order public key (an all-zero output, which would make the secret known to all).
     */
    public static Optional<byte[]> sharedSecret(byte[] privateKey, byte[] publicKey) {
        if (privateKey.length != KEY_BYTES || publicKey.length != KEY_BYTES) {
            return Optional.empty();
        }
        byte[] out = new byte[KEY_BYTES];
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
