package dev.kadshare.net;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.PublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.interfaces.EdECPublicKey;
import java.util.Optional;

/** Raw 32-byte Ed25519 public keys (RFC 8032 encoding) to and from the JDK's EdEC keys: link identities, signed DHT records. */
public final class Ed25519Keys {
    public static final int PUBLIC_BYTES = 32;

    private Ed25519Keys() {
    }

    /** RFC 8032: y little-endian, the top bit of the last byte is x's parity. */
    public static byte[] encode(EdECPublicKey key) {
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
    public static Optional<PublicKey> decode(byte[] encoded) {
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

    /** An Ed25519 signature of {@code message}. */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing cannot fail with a valid key", e);
        }
    }

    /**
     * Whether the {@code length} bytes of {@code signature} at {@code offset} are {@code publicKey}'s (32 encoded bytes)
     * signature of {@code message}; a key or signature the provider refuses is a bad signature, not a failure.
     */
    public static boolean verifies(byte[] publicKey, byte[] message, byte[] signature, int offset, int length) {
        Optional<PublicKey> key = decode(publicKey);
        if (key.isEmpty()) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key.get());
            verifier.update(message);
            return verifier.verify(signature, offset, length);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The key pair of a 32-byte Ed25519 seed (RFC 8032 private key). */
    public static KeyPair fromSeed(byte[] seed) {
        if (seed.length != PUBLIC_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, not " + seed.length);
        }
        try {
            // The JDK derives the key pair from the 32 bytes its generator draws: hand it the seed to draw.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedBytes(seed));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by every JDK 15+", e);
        }
    }

    /** Hands the Ed25519 generator the seed as the 32 bytes it draws. */
    private static final class SeedBytes extends SecureRandom {
        private final byte[] seed;

        SeedBytes(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator draws 32 bytes, asked for " + bytes.length);
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
