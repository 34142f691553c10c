package dev.kadshare.transfer.wire;

/** The outcome of decoding one frame: a message, or the reason the frame is unacceptable. */
public sealed interface Decoded {
    record Ok(Message message) implements Decoded {
    }

    record Malformed(String reason) implements Decoded {
    }
}
