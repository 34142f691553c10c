package dev.kadshare.transfer.link.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/** Curve25519 Diffie-Hellman on raw 32-byte keys (RFC 7748 encodings) through the JDK's XDH provider. */
public final class X25519 {
    public static final int KEY_BYTES = 32;
    private static final byte[] BASE_POINT = new byte[KEY_BYTES];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    /** The public key of a 32-byte private scalar (clamped by the provider, as RFC 7748 says). */
    public static byte[] publicKey(byte[] privateKey) {
        try {
            return dh(privateKey, BASE_POINT);
        } catch (NoiseException e) {
            throw new IllegalStateException("the base point always gives a public key", e);
        }
    }

    /** X25519(privateKey, publicKey): 32 bytes; a small-order public key is a {@link NoiseException.Kind#BAD_KEY}. */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
        if (privateKey.length != KEY_BYTES || publicKey.length != KEY_BYTES) {
            throw new NoiseException(NoiseException.Kind.BAD_KEY, "X25519 keys are 32 bytes");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey priv = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone()));
            PublicKey pub = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uCoordinate(publicKey)));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(priv);
            agreement.doPhase(pub, true);
            return agreement.generateSecret();
        } catch (InvalidKeyException e) {
            // the JDK refuses an all-zero output (a small-order point), as Noise allows
            throw new NoiseException(NoiseException.Kind.BAD_KEY, "unusable X25519 public key: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is required by every JDK 11+", e);
        }
    }

    /** The u-coordinate of an encoded key: little-endian, the top bit masked (RFC 7748, section 5). */
    private static BigInteger uCoordinate(byte[] encoded) {
        byte[] bigEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[i] = encoded[KEY_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian);
    }
}
