package dev.kadshare.transfer.relay;

import java.net.InetSocketAddress;

/** What a node asks a relay, the first bytes of a relay connection ({@link RelayWire}). */
public sealed interface RelayRequest {
    /**
     * A sharer behind a NAT waits here for a getter: reserved under the IP it connects from and {@code port}, the TCP
     * port it announces (so the key is the address getters find in the DHT, and nobody can reserve another's IP).
     */
    record Reserve(int port) implements RelayRequest {
        public Reserve {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
        }
    }

    /** A getter asks to be joined to the sharer reserved under {@code target}, the address it found announced. */
    record Connect(InetSocketAddress target) implements RelayRequest {
        public Connect {
            if (target.isUnresolved() || target.getPort() < 1) {
                throw new IllegalArgumentException("target " + target);
            }
        }
    }
}
