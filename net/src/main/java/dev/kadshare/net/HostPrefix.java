package dev.kadshare.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The addresses counted as one host by per-host caps, rate limits, quotas and bans: an IPv4 address whole, a public
 * IPv6 address's /64. A host on the internet holds a whole IPv6 /64 (what a subscriber or a LAN is given) and picks
 * addresses in it at will, a fresh one per connection if it likes, so a cap per IPv6 address caps nothing; a LAN
 * behind IPv4 NAT is one address already, and a /64 is counted the same way. An IPv6 address on this side of the
 * internet (loopback, link-local, unique local: every neighbour of a link shares fe80::/64) is a host of its own, as
 * an IPv4 one is; an IPv4-mapped IPv6 address is its IPv4 address.
 *
 * @param address the prefix's first address (for a /64, an IPv6 address with its last 64 bits zero)
 * @param bits 32 for an IPv4 address, 64 for a public IPv6 /64, 128 for an IPv6 address of its own
 */
public record HostPrefix(InetAddress address, int bits) {
    public static final int IPV4_BITS = 32;
    public static final int IPV6_BITS = 64;
    public static final int IPV6_ADDRESS_BITS = 128;

    public HostPrefix {
        boolean v4 = address instanceof Inet4Address;
        boolean valid = v4 ? bits == IPV4_BITS
                : bits == IPV6_ADDRESS_BITS || bits == IPV6_BITS && isZero(address.getAddress(), 8, 16);
        if (!valid) {
            throw new IllegalArgumentException(address + "/" + bits + " is not a host's prefix");
        }
    }

    /** The host {@code address} belongs to. */
    public static HostPrefix of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return new HostPrefix(address, IPV4_BITS);
        }
        byte[] bytes = address.getAddress();
        if (MappedIpv4.is(bytes)) {
            return new HostPrefix(byAddress(MappedIpv4.ipv4(bytes)), IPV4_BITS);
        }
        if (AddressScope.of(address) != AddressScope.PUBLIC) {
            return new HostPrefix(byAddress(bytes), IPV6_ADDRESS_BITS);
        }
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return new HostPrefix(byAddress(bytes), IPV6_BITS); // no scope: a prefix is the same on every link
    }

    @Override
    public String toString() {
        return bits == IPV6_BITS ? address.getHostAddress() + "/" + bits : address.getHostAddress();
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
