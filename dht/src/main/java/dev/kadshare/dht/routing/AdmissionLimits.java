package dev.kadshare.dht.routing;

import java.net.InetAddress;

/**
 * How many contacts of one network (an IPv4 /24, an IPv6 /64: what one subscriber or one rented server block
 * holds) a routing table admits, per bucket and in all, so that one attacker's addresses cannot fill a bucket or
 * crowd the table (0 turns a limit off). Loopback contacts are exempt only on a node bound to loopback itself (a
 * test network on one machine): a node that serves the internet counts a local process like any other source.
 *
 * @param perBucket contacts of one network in one bucket
 * @param perTable contacts of one network in the whole table
 * @param loopbackExempt whether loopback contacts escape both limits
 */
public record AdmissionLimits(int perBucket, int perTable, boolean loopbackExempt) {
    /** 2 per bucket and 10 in all, as S/Kademlia and libtorrent's DHT limit them. */
    public static final int DEFAULT_PER_BUCKET = 2;
    public static final int DEFAULT_PER_TABLE = 10;

    public AdmissionLimits {
        if (perBucket < 0 || perTable < 0) {
            throw new IllegalArgumentException("admission limits must be 0 (off) or positive");
        }
    }

    /** No limit at all. */
    public static AdmissionLimits none() {
        return new AdmissionLimits(0, 0, true);
    }

    /** Whether the limits count a contact at {@code ip}. */
    boolean counts(InetAddress ip) {
        return ip != null && (perBucket > 0 || perTable > 0) && !(loopbackExempt && ip.isLoopbackAddress());
    }
}
