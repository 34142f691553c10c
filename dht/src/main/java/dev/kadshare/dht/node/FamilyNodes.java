package dev.kadshare.dht.node;

import dev.kadshare.net.MappedIpv4;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The protocol cores of one socket, one per address family it serves (BEP 32): an IPv4 socket has an IPv4 core, an
 * IPv6 socket bound to one address an IPv6 core, a dual-stack socket (the IPv6 wildcard) one of each, each with its
 * own routing table and stores. A datagram goes to the core of its source's family.
 */
public record FamilyNodes(Optional<DhtNode> ipv4, Optional<DhtNode> ipv6) {
    public FamilyNodes {
        if (ipv4.isEmpty() && ipv6.isEmpty()) {
            throw new IllegalArgumentException("no family");
        }
    }

    /** Every core, IPv4 first. */
    public List<DhtNode> all() {
        return Stream.concat(ipv4.stream(), ipv6.stream()).toList();
    }

    /** The core for peers of {@code address}'s family (an IPv4-mapped IPv6 address is IPv4), if this socket serves it. */
    public Optional<DhtNode> of(InetAddress address) {
        return address instanceof Inet4Address ? ipv4 : ipv6;
    }

    /**
     * {@code address} as the core keeps it: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, as a dual-stack socket
     * may report an IPv4 peer) turned into the IPv4 address it carries, and an IPv6 address without the zero scope id
     * the native transport attaches ({@code fd77::11%0}, which would be printed and stored as such); else as it is.
     */
    public static InetSocketAddress plain(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet6Address v6)) {
            return address;
        }
        byte[] b = v6.getAddress();
        boolean mapped = MappedIpv4.is(b);
        if (!mapped && (v6.getScopeId() != 0 || v6.getScopedInterface() != null || !v6.getHostAddress().contains("%"))) {
            return address;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(mapped ? MappedIpv4.ipv4(b) : b),
                    address.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an IP address", e);
        }
    }
}
