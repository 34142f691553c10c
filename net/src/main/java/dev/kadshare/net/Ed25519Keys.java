package dev.kadshare.net;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 signatures (RFC 8032) checked on raw 32-byte public keys: link identities, signed DHT records.
 * BouncyCastle's implementation, not the JDK's: here it verifies in about 65 us where the JDK's takes 460-570 us
 * (a link handshake's cost, docs/benchmarks.md).
 */
public final class Ed25519Keys {
    public static final int PUBLIC_BYTES = Ed25519.PUBLIC_KEY_SIZE;
    public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;
    public static final int SEED_BYTES = Ed25519.SECRET_KEY_SIZE;

    private Ed25519Keys() {
    }

    /**
     * Whether the {@code length} bytes of {@code signature} at {@code offset} are {@code publicKey}'s (32 encoded bytes)
     * signature of {@code message}; a key that is no curve point, a signature of another length or a non-canonical
     * one is a bad signature, not a failure.
     */
    public static boolean verifies(byte[] publicKey, byte[] message, byte[] signature, int offset, int length) {
        if (publicKey.length != PUBLIC_BYTES || length != SIGNATURE_BYTES || offset < 0
                || offset > signature.length - length) {
            return false;
        }
        return Ed25519.verify(signature, offset, publicKey, 0, message, 0, message.length);
    }
}
