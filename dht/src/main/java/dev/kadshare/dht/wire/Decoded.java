package dev.kadshare.dht.wire;

/** Outcome of decoding one datagram: a message, or the reason it was dropped. Never an exception. */
public sealed interface Decoded {
    /** A well-formed message. */
    record Ok(Message message) implements Decoded {
    }

    /** Input that must be dropped, with the reason it is counted under. */
    record Rejected(RejectReason reason, String detail) implements Decoded {
    }
}
