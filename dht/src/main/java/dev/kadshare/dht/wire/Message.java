package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;

/** A DHT datagram. Every message carries a random 64-bit transaction id and the sender's node id. */
public sealed interface Message permits Request, Response {
    long txId();

    NodeId sender();
}
