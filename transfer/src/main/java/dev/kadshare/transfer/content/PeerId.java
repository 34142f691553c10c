package dev.kadshare.transfer.content;

/**
 * The 256-bit node id a peer gives in HELLO (the node's DHT id, SHA-256 of its public key), or
 * {@link #UNKNOWN} (all zero) when the sender does not say.
 */
public final class PeerId extends Id256 {
    public static final PeerId UNKNOWN = new PeerId(new byte[LENGTH]);

    private PeerId(byte[] bytes) {
        super(bytes);
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static PeerId of(byte[] bytes) {
        return new PeerId(checkedCopy(bytes, "peer id"));
    }

    public boolean isKnown() {
        return !equals(UNKNOWN);
    }
}
