package dev.kadshare.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Where an IP address reaches: the one classifier for the addresses peers name (peer exchange, the DHT) before this
 * node dials them. An IPv4-mapped IPv6 address is classed as the IPv4 address it carries.
 */
public enum AddressScope {
    /** {@code 0.0.0.0/8}, {@code ::}: no host; never dialled. */
    UNSPECIFIED,
    /** {@code 224.0.0.0/4}, {@code ff00::/8}: a group, not a peer; never dialled. */
    MULTICAST,
    /** {@code 255.255.255.255} and {@code 240.0.0.0/4} (reserved): never dialled. */
    BROADCAST,
    /** {@code 127.0.0.0/8}, {@code ::1}: this host. */
    LOOPBACK,
    /** {@code 169.254.0.0/16}, {@code fe80::/10}: one link. */
    LINK_LOCAL,
    /** RFC 1918 ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}), CGNAT {@code 100.64/10}, ULA {@code fc00::/7}. */
    PRIVATE,
    /** Anything else: the internet. */
    PUBLIC;

    /** True for the scopes no peer can be at: never dialled, whatever this node's own networks. */
    public boolean isUndialable() {
        return this == UNSPECIFIED || this == MULTICAST || this == BROADCAST;
    }

    public static AddressScope of(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return MappedIpv4.is(b) ? ofV4(MappedIpv4.ipv4(b)) : ofV6(b);
        }
        if (address instanceof Inet4Address) {
            return ofV4(b);
        }
        return PUBLIC;
    }

    private static AddressScope ofV4(byte[] b) {
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        if (a0 == 0) {
            return UNSPECIFIED;
        } else if (a0 == 127) {
            return LOOPBACK;
        } else if (a0 >= 224 && a0 <= 239) {
            return MULTICAST;
        } else if (a0 >= 240) {
            return BROADCAST;
        } else if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        } else if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)
                || (a0 == 100 && a1 >= 64 && a1 <= 127)) {
            return PRIVATE;
        }
        return PUBLIC;
    }

    private static AddressScope ofV6(byte[] b) {
        boolean zeroUpTo15 = true;
        for (int i = 0; i < 15; i++) {
            zeroUpTo15 &= b[i] == 0;
        }
        if (zeroUpTo15 && b[15] == 0) {
            return UNSPECIFIED;
        } else if (zeroUpTo15 && b[15] == 1) {
            return LOOPBACK;
        } else if ((b[0] & 0xFF) == 0xFF) {
            return MULTICAST;
        } else if ((b[0] & 0xFF) == 0xFE && (b[1] & 0xC0) == 0x80) {
            return LINK_LOCAL;
        } else if ((b[0] & 0xFE) == 0xFC) {
            return PRIVATE;
        }
        return PUBLIC;
    }
}
