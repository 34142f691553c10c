package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.content.PeerId;

/** The user event a link fires once its handshake proved who the peer is, just before the channel goes active. */
record LinkEstablished(PeerId nodeId) implements LinkReady {
}
