package dev.kadshare.transfer.link.noise;

/** What one handshake message written or read gives: its bytes, and the transport once the handshake is over. */
public sealed interface HandshakeStep {
    /** The message written, or the payload read. */
    byte[] bytes();

    /** More handshake messages follow. */
    record Pending(byte[] bytes) implements HandshakeStep {
    }

    /** That was the last handshake message: the transport cipher states are ready. */
    record Done(byte[] bytes, Transport transport) implements HandshakeStep {
    }
}
