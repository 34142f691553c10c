package dev.kadshare.node.discovery;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * The addresses of LAN neighbours a node has pinged into the DHT, so that each is pinged once: the DHT keeps every
 * address it bootstraps through as a seed, and a LAN that keeps forging new nodes must not grow that list without
 * end, so at most {@link #MAX} addresses are pinged in a run. Single-threaded: the discovery loop's.
 */
public final class LanPings {
    /** Distinct LAN addresses pinged into the DHT in this run at most. */
    public static final int MAX = 1024;

    private final Set<InetSocketAddress> pinged = new HashSet<>();

    /** Whether to ping {@code address} into the DHT now: the first time it is heard, while fewer than {@link #MAX} were. */
    public boolean firstPing(InetSocketAddress address) {
        return pinged.size() < MAX && pinged.add(address);
    }
}
