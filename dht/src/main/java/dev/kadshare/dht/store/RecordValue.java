package dev.kadshare.dht.store;

import java.util.Arrays;
import java.util.HexFormat;

/** The opaque bytes of one small record stored under a key; equal when the bytes are. */
public final class RecordValue {
    /** Largest value accepted, so that a record fits one datagram with room to spare. */
    public static final int MAX_BYTES = 1024;

    private final byte[] bytes;

    private RecordValue(byte[] bytes) {
        this.bytes = bytes;
    }

    public static RecordValue of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a record value has 1.." + MAX_BYTES + " bytes, got " + bytes.length);
        }
        return new RecordValue(bytes.clone());
    }

    /** A copy, so the value stays immutable. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordValue other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length + " bytes " + HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length));
    }
}
