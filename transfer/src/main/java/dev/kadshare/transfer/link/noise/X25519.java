package dev.kadshare.transfer.link.noise;

/**
 * Curve25519 Diffie-Hellman on raw 32-byte keys (RFC 7748 encodings), through BouncyCastle's implementation: here
 * it takes about 65 us where the JDK's XDH takes 111 us (a link handshake's cost, docs/benchmarks.md).
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

    /** X25519(privateKey, publicKey): 32 bytes; a small-order public key is a {@link NoiseException.Kind#BAD_KEY}. */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
        if (privateKey.length != KEY_BYTES || publicKey.length != KEY_BYTES) {
            throw new NoiseException(NoiseException.Kind.BAD_KEY, "X25519 keys are 32 bytes");
        }
        byte[] out = new byte[KEY_BYTES];
        // the top bit of the u-coordinate is masked (RFC 7748, section 5); an all-zero output (a small-order point) is
        // refused, as Noise allows
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new NoiseException(NoiseException.Kind.BAD_KEY, "unusable X25519 public key: a small-order point");
        }
        return out;
    }
}
