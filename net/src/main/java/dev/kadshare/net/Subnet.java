package dev.kadshare.net;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The network an address belongs to for counting how many peers one source names in it: its /24 for IPv4, its /64
 * for IPv6 (what one subscriber typically holds), so a source cannot point this node at a whole range of one network.
 *
 * @param ipv6 whether {@code prefix} is an IPv6 /64 (else an IPv4 /24)
 * @param prefix the network's leading bits: 24 for IPv4, 64 for IPv6
 */
public record Subnet(boolean ipv6, long prefix) {
    public static Subnet of(InetAddress address) {
        byte[] b = address.getAddress();
        boolean v6 = address instanceof Inet6Address;
        long prefix = 0;
        for (int i = 0; i < (v6 ? 8 : 3); i++) {
            prefix = (prefix << 8) | (b[i] & 0xFF);
        }
        return new Subnet(v6, prefix);
    }
}
