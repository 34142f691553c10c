package dev.kadshare.transfer.content;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 256-bit node id a peer gives in HELLO (the node's DHT id, SHA-256 of its public key), or
 * {@link #UNKNOWN} (all zero) when the sender does not say.
 */
public final class PeerId {
    public static final int LENGTH = 32;
    public static final PeerId UNKNOWN = new PeerId(new byte[LENGTH]);
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("peer id must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isKnown() {
        return !equals(UNKNOWN);
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
