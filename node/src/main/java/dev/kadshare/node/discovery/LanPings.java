package dev.kadshare.node.discovery;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The addresses of LAN neighbours a node has pinged into the DHT lately, so that each is pinged once while
 * remembered: the newest {@link #MAX}. A LAN host forging announcements with made-up ports pushes out the oldest
 * rather than filling the set for good, so a real neighbour heard after such a flood is still pinged (the DHT pings
 * each seed once and keeps its list of them bounded itself). Single-threaded: the discovery loop's.
 */
public final class LanPings {
    /** Distinct LAN addresses remembered at most. */
    public static final int MAX = 1024;

    /** In the order first pinged. */
    private final Set<InetSocketAddress> pinged = new LinkedHashSet<>();

    /** Whether to ping {@code address} into the DHT now: when it is not among the {@link #MAX} last pinged. */
    public boolean firstPing(InetSocketAddress address) {
        if (!pinged.add(address)) {
            return false;
        }
        if (pinged.size() > MAX) {
            Iterator<InetSocketAddress> oldest = pinged.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }
}
