package dev.kadshare.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The network an address belongs to for counting how many peers one source names in it: its /24 for IPv4, its /64
 * for IPv6 (what one subscriber typically holds), so a source cannot point this node at a whole range of one network.
 */
public final class Subnet {
    private final byte[] prefix;

    private Subnet(byte[] prefix) {
        this.prefix = prefix;
    }

    public static Subnet of(InetAddress address) {
        byte[] b = address.getAddress();
        return new Subnet(Arrays.copyOf(b, address instanceof Inet6Address ? 8 : 3));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subnet other && Arrays.equals(prefix, other.prefix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
        return prefix.length == 3 ? (prefix[0] & 0xFF) + "." + (prefix[1] & 0xFF) + "." + (prefix[2] & 0xFF) + ".0/24"
                : "IPv6 /64 " + java.util.HexFormat.of().formatHex(prefix);
    }
}
