package dev.kadshare.node;

import dev.kadshare.net.AddressScope;
import dev.kadshare.net.HostAddresses;
import dev.kadshare.net.Loopback;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;

/**
 * The networks this node is on, for its dial policy: the scope of the address it binds, or, bound to the wildcard
 * (it listens on every address of the host), the scopes of the host's interface addresses, loopback included. A node
 * bound to a public or private address therefore dials no loopback peer, and one bound to a public address no
 * private one either.
 */
final class LocalNetworks {
    private LocalNetworks() {
    }

    /**
     * The address of {@code family} (IPv4, or IPv6 if {@code ipv6}) peers see this node at, as far as it can tell before
     * they say so, which its DHT id for that family is bound to: the bound address, or, bound to a wildcard, the host's
     * first public interface address of the family, else its first private one, else loopback. Behind a NAT the id is
     * bound to the LAN address, so the node is answered but not taken into routing tables, as BEP 43 wants of a node
     * nobody can reach.
     */
    static InetAddress idAddress(InetAddress bound, boolean ipv6) {
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        InetAddress best = null;
        for (InetAddress a : hostAddresses()) {
            AddressScope scope = AddressScope.of(a);
            if ((a instanceof Inet6Address) != ipv6) {
                continue;
            }
            if (scope == AddressScope.PUBLIC) {
                return a;
            }
            if (scope == AddressScope.PRIVATE && best == null) {
                best = a;
            }
        }
        // None of the family (or unreadable interfaces): loopback, as a wildcard-bound node says it is at.
        return best != null ? best : ipv6 ? Loopback.IPV6 : Loopback.IPV4;
    }

    static Set<AddressScope> of(InetAddress bound) {
        Set<AddressScope> scopes = EnumSet.noneOf(AddressScope.class);
        if (!bound.isAnyLocalAddress()) {
            scopes.add(AddressScope.of(bound));
            return scopes;
        }
        scopes.add(AddressScope.LOOPBACK);
        hostAddresses().forEach(a -> scopes.add(AddressScope.of(a)));
        return scopes;
    }

    /** The addresses of the host's interfaces; none if they cannot be read (the callers then keep to the safe side). */
    private static List<InetAddress> hostAddresses() {
        try {
            return HostAddresses.read();
        } catch (SocketException e) {
            return List.of();
        }
    }
}
