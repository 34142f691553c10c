package dev.kadshare.transfer.content;

import java.util.Arrays;
import java.util.HexFormat;

/** A 256-bit content id: the SHA-256 of a manifest's canonical bytes. */
public final class ContentId {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private ContentId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static ContentId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("content id must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new ContentId(bytes.clone());
    }

    /** Parses 64 hex digits (either case); anything else is an IllegalArgumentException. */
    public static ContentId fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("content id must be " + LENGTH * 2 + " hex digits");
        }
        // HexFormat.parseHex throws IllegalArgumentException on a non-hex character.
        return new ContentId(HEX.parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentId other && Arrays.equals(bytes, other.bytes);
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
