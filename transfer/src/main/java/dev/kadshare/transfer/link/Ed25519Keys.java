package dev.kadshare.transfer.link;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.interfaces.EdECPublicKey;
import java.util.Optional;

/** Raw 32-byte Ed25519 public keys (RFC 8032 encoding) to and from the JDK's EdEC keys. */
final class Ed25519Keys {
    static final int PUBLIC_BYTES = 32;

    private Ed25519Keys() {
    }

    /** RFC 8032: y little-endian, the top bit of the last byte is x's parity. */
    static byte[] encode(EdECPublicKey key) {
        EdECPoint point = key.getPoint();
        byte[] bigEndian = point.getY().toByteArray();
        byte[] out = new byte[PUBLIC_BYTES];
        for (int i = 0; i < Math.min(bigEndian.length, PUBLIC_BYTES); i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (point.isXOdd()) {
            out[PUBLIC_BYTES - 1] |= (byte) 0x80;
        }
        return out;
    }

    /** The key of 32 encoded bytes, or empty when they are no key the provider takes. */
    static Optional<PublicKey> decode(byte[] encoded) {
        if (encoded.length != PUBLIC_BYTES) {
            return Optional.empty();
        }
        boolean xOdd = (encoded[PUBLIC_BYTES - 1] & 0x80) != 0;
        byte[] bigEndian = new byte[PUBLIC_BYTES];
        for (int i = 0; i < PUBLIC_BYTES; i++) {
            bigEndian[i] = encoded[PUBLIC_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7f;
        try {
            return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(
                    new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, bigEndian)))));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
