package dev.kadshare.transfer.link.noise;

import dev.kadshare.transfer.content.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Noise's SymmetricState for SHA256: the chaining key, the handshake hash and the cipher state between them. */
final class SymmetricState {
    static final int HASH_BYTES = 32;

    private byte[] ck;
    private byte[] h;
    private CipherState cipher = CipherState.empty();

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : Sha256.of(name);
        ck = h.clone();
    }

    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm, 2);
        ck = out[0];
        cipher = CipherState.keyed(out[1]);
    }

    void mixHash(byte[] data) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(h);
        digest.update(data);
        h = digest.digest();
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
        byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
        byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    /** The two transport cipher states: the first for the initiator's messages, the second for the responder's. */
    CipherState[] split() {
        byte[][] keys = hkdf(ck, new byte[0], 2);
        return new CipherState[] {CipherState.keyed(keys[0]), CipherState.keyed(keys[1])};
    }

    static byte[][] hkdf(byte[] chainingKey, byte[] ikm, int outputs) {
        byte[] tempKey = hmac(chainingKey, ikm);
        byte[][] out = new byte[outputs][];
        byte[] previous = new byte[0];
        for (int i = 0; i < outputs; i++) {
            byte[] input = Arrays.copyOf(previous, previous.length + 1);
            input[previous.length] = (byte) (i + 1);
            previous = hmac(tempKey, input);
            out[i] = previous;
        }
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }
}
