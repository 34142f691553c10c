package dev.kadshare.transfer.link;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.link.noise.Transport;

/** What the link handshake calls for after bytes came in: send and wait, established, or refused. */
public sealed interface LinkStep {
    /** Bytes to send now (possibly none). */
    byte[] send();

    /** Send these bytes and wait for more. */
    record Continue(byte[] send) implements LinkStep {
    }

    /**
     * The handshake is over: send {@code send} (the last handshake message, if this side writes it), then carry
     * records with {@code transport}; {@code leftover} are bytes read past the handshake, the first records'.
     */
    record Established(byte[] send, ProvenPeer peer, Transport transport, byte[] leftover) implements LinkStep {
    }

    /** Send {@code send} (a refusal, or nothing) and close, counting {@code reason}. */
    record Refused(ConnectionDrop reason, String why, byte[] send) implements LinkStep {
    }
}
