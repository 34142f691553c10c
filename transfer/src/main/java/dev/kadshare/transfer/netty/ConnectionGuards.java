package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionCaps;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.ConnectionLimits;

/**
 * What every serving connection of one server checks itself against: the server's limits, its connection counts
 * (shared by all its connections) and where refusals and closes are counted.
 */
public record ConnectionGuards(ConnectionLimits limits, ConnectionCaps caps, ConnectionDrops drops) {
    /** Fresh counts for {@code limits}, for a server of its own. */
    public static ConnectionGuards of(ConnectionLimits limits, ConnectionDrops drops) {
        return new ConnectionGuards(limits, new ConnectionCaps(limits), drops);
    }
}
