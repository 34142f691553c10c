package dev.kadshare.dht.node;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
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
     * {@code address} with an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, as a dual-stack socket may report an
     * IPv4 peer) turned into the IPv4 address it carries; anything else as it is.
     */
    public static InetSocketAddress unmapped(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet6Address v6)) {
            return address;
        }
        byte[] b = v6.getAddress();
        boolean mapped = Arrays.equals(Arrays.copyOf(b, 10), new byte[10]) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        if (!mapped) {
            return address;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)), address.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }
}
