package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.token.WriteToken;
import java.util.Objects;

/** What an announcement and its withdrawal both name: a key, the announcer's port, and the token to write with. */
public interface PeerEntry {
    NodeId key();

    int port();

    WriteToken token();

    /** The checks both requests make on their fields. */
    static void validate(NodeId sender, NodeId key, int port, WriteToken token) {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
        Objects.requireNonNull(token);
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port);
        }
    }
}
