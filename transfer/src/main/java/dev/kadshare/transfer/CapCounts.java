package dev.kadshare.transfer.relay;

import dev.kadshare.net.HostPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A count per host ({@link HostPrefix}) of one thing it holds at a relay (circuits it is an end of, or sharers it has
 * waiting), within a cap per host. Not thread-safe: {@link RelayCircuits}'s owner serialises calls.
 */
final class HostCounts {
    private final int cap;
    /** Hosts at none are left out. */
    private final Map<HostPrefix, Integer> counts = new HashMap<>();

    HostCounts(int cap) {
        this.cap = cap;
    }

    /** Whether each host of {@code hosts} can hold as many more as it appears there, within the cap. */
    boolean fits(List<HostPrefix> hosts) {
        for (HostPrefix host : hosts) {
            long more = hosts.stream().filter(host::equals).count();
            if (counts.getOrDefault(host, 0) + more > cap) {
                return false;
            }
        }
        return true;
    }

    /** Counts {@code by} more (or fewer) against each host of {@code hosts}. */
    void count(List<HostPrefix> hosts, int by) {
        for (HostPrefix host : hosts) {
            counts.merge(host, by, (n, d) -> n + d == 0 ? null : n + d);
        }
    }
}
