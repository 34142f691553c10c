package dev.kadshare.transfer.link.noise;

/** A Noise handshake or transport message that must be refused, with the kind of failure. */
public final class NoiseException extends Exception {
    /** What went wrong. */
    public enum Kind {
        /** The AEAD tag did not verify: tampered, replayed or out of order, or the wrong key. */
        DECRYPT,
        /** The message is shorter than its tokens and tag need. */
        TRUNCATED,
        /** The message is longer than Noise's 65535 bytes. */
        TOO_LONG,
        /** A public key that gives no usable Diffie-Hellman output (small order). */
        BAD_KEY,
        /** The nonce counter is spent: the cipher state must not be used again. */
        NONCE_EXHAUSTED
    }

    private final Kind kind;

    public NoiseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
