package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionCaps;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.ConnectionLimits;
import dev.kadshare.transfer.peers.PeerBans;

/**
 * What every serving connection of one server checks itself against: the server's limits, its connection counts
 * (shared by all its connections), the node's banned peers, and where refusals and closes are counted.
 */
public record ConnectionGuards(ConnectionLimits limits, ConnectionCaps caps, ConnectionDrops drops, PeerBans bans) {
    /** Fresh counts for {@code limits}, for a server of its own, with a ban list of its own. */
    public static ConnectionGuards of(ConnectionLimits limits, ConnectionDrops drops) {
        return of(limits, drops, new PeerBans());
    }

    /** Fresh counts for {@code limits}; peers in {@code bans} (the node's) are refused. */
    public static ConnectionGuards of(ConnectionLimits limits, ConnectionDrops drops, PeerBans bans) {
        return new ConnectionGuards(limits, new ConnectionCaps(limits), drops, bans);
    }
}
