package dev.kadshare.transfer.link.noise;

/** Noise's DH function for the 25519 suites: {@link dev.kadshare.net.X25519}, its refusals as {@link NoiseException}s. */
public final class X25519 {
    public static final int KEY_BYTES = dev.kadshare.net.X25519.KEY_BYTES;

    private X25519() {
    }

    /** The public key of a 32-byte private scalar (clamped, as RFC 7748 says). */
    public static byte[] publicKey(byte[] privateKey) {
        return dev.kadshare.net.X25519.publicKey(privateKey);
    }

    /**
     * X25519(privateKey, publicKey): 32 bytes; keys of another length or a small-order public key (refused, as Noise
     * allows) are a {@link NoiseException.Kind#BAD_KEY}.
     */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
        return dev.kadshare.net.X25519.sharedSecret(privateKey, publicKey).orElseThrow(() -> new NoiseException(
                NoiseException.Kind.BAD_KEY, "unusable X25519 key: not 32 bytes, or a small-order point"));
    }
}
