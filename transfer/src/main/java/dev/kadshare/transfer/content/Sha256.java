package dev.kadshare.transfer.content;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 through the JDK provider (hardware-accelerated intrinsics), the only hash in this module. */
public final class Sha256 {
    public static final int LENGTH = 32;

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256.
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** Hashes the remaining bytes of a buffer without moving its position. */
    public static byte[] of(ByteBuffer data) {
        MessageDigest digest = newDigest();
        digest.update(data.duplicate());
        return digest.digest();
    }

    public static byte[] of(byte[] data) {
        return newDigest().digest(data);
    }
}
