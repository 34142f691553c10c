package dev.kadshare.transfer.peers;

import dev.kadshare.net.Subnet;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The distinct addresses one source (a peer's PEERS over its connection, one DHT answer) has had admitted per /24
 * (IPv6 /64), for {@link DialPolicy}. Naming an address again costs nothing. Bounded: a source has at most
 * {@link #MAX_ADDRESSES} addresses admitted, so one peer's PEERS, each address in a /24 of its own, cannot fill the
 * download's book of peers and put a thousand dials of its choosing before those of every other source. Not
 * thread-safe: one download's thread owns it.
 */
public final class SourceTally {
    /** Addresses one source may have admitted: a swarm's worth of dials, a quarter of a download's book of peers. */
    static final int MAX_ADDRESSES = 256;

    private final Map<Subnet, Set<InetSocketAddress>> admitted = new HashMap<>();
    private int total;

    /** Admits {@code address} if its subnet has fewer than {@code perSubnet} others from this source. */
    boolean admit(InetSocketAddress address, int perSubnet) {
        Subnet subnet = Subnet.of(address.getAddress());
        Set<InetSocketAddress> in = admitted.get(subnet);
        if (in != null && in.contains(address)) {
            return true;
        }
        if (total >= MAX_ADDRESSES || in != null && in.size() >= perSubnet) {
            return false;
        }
        admitted.computeIfAbsent(subnet, s -> new HashSet<>()).add(address);
        total++;
        return true;
    }
}
