package dev.kadshare.dht.wire;

/** A message answering a {@link Request}. */
public sealed interface Response extends Message permits Pong, Nodes, Peers, Announced, PeerWithdrawn, Records, Stored {
}
