package dev.kadshare.dht.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 32-byte public key (X25519, the Noise static key) of a peer's transfer link, as its announcement gave it. On the
 * DHT it is a hint only: whoever answers a lookup writes it, and only the link's handshake proves it.
 */
public final class LinkKey {
    public static final int BYTES = 32;

    private final byte[] bytes;

    private LinkKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key of exactly {@link #BYTES} bytes (copied); another length is an IllegalArgumentException. */
    public static LinkKey of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a link key is " + BYTES + " bytes, not " + bytes.length);
        }
        return new LinkKey(bytes.clone());
    }

    /** Wraps an array already checked and owned by the caller (the store's entries share it, no copy). */
    static LinkKey wrap(byte[] owned) {
        return new LinkKey(owned);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The array itself, for an entry of this package to keep without a copy. */
    byte[] shared() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes, 0, 4) + "...";
    }
}
