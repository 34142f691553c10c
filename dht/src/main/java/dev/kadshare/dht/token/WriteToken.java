package dev.kadshare.dht.token;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** Opaque proof, handed out with GET_PEERS, that the holder may ANNOUNCE_PEER from its address. */
public final class WriteToken {
    /** Longest token accepted off the wire. */
    public static final int MAX_BYTES = 64;

    private final byte[] bytes;

    private WriteToken(byte[] bytes) {
        this.bytes = bytes;
    }

    public static WriteToken of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("token length " + bytes.length);
        }
        return new WriteToken(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Constant-time, so a forger learns nothing from response timing. */
    public boolean matches(WriteToken other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteToken t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WriteToken[" + HexFormat.of().formatHex(bytes, 0, Math.min(4, bytes.length)) + "…]";
    }
}
