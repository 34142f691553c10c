package dev.kadshare.transfer.peers;

import dev.kadshare.net.Subnet;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The distinct addresses one source (a peer's PEERS over its connection, one DHT answer) has had admitted per /24
 * (IPv6 /64), for {@link DialPolicy}. Naming an address again costs nothing. Bounded: past {@link #MAX_SUBNETS}
 * subnets a source has no more admitted. Not thread-safe: one download's thread owns it.
 */
public final class SourceTally {
    static final int MAX_SUBNETS = 1024;

    private final Map<Subnet, Set<InetSocketAddress>> admitted = new HashMap<>();

    /** Admits {@code address} if its subnet has fewer than {@code perSubnet} others from this source. */
    boolean admit(InetSocketAddress address, int perSubnet) {
        Subnet subnet = Subnet.of(address.getAddress());
        Set<InetSocketAddress> in = admitted.get(subnet);
        if (in == null) {
            if (admitted.size() >= MAX_SUBNETS) {
                return false;
            }
            in = new HashSet<>();
            admitted.put(subnet, in);
        }
        return in.contains(address) || (in.size() < perSubnet && in.add(address));
    }
}
