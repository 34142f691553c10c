package dev.kadshare.transfer.content;

import java.util.Arrays;
import java.util.HexFormat;

/** A 256-bit identifier compared by value: what content ids and peer ids have in common. */
public abstract sealed class Id256 permits ContentId, PeerId {
    public static final int LENGTH = 32;
    static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    Id256(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}, which must be exactly 32 long; {@code what} names the id in the error. */
    static byte[] checkedCopy(byte[] bytes, String what) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return bytes.clone();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((Id256) o).bytes);
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
