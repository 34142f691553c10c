package dev.kadshare.dht.routing;

import dev.kadshare.net.AddressScope;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which contacts named in others' replies a lookup follows: never an unspecified, multicast or broadcast address or
 * port 0; a loopback, link-local or private one only when this node is on such a network itself ({@code reach}), so
 * a reply cannot turn this node's lookups against its own host or LAN.
 */
public record ContactFilter(Set<AddressScope> reach) {
    public ContactFilter {
        reach = Set.copyOf(reach);
    }

    /** Follows contacts on every network a peer can be on: tests and simulations, whose nodes sit on 127/8 or 10/8. */
    public static ContactFilter everywhere() {
        Set<AddressScope> all = EnumSet.allOf(AddressScope.class);
        all.removeIf(AddressScope::isUndialable);
        return new ContactFilter(all);
    }

    /** Follows public contacts and those in {@code scopes}, the networks this node is on. */
    public static ContactFilter reaching(Set<AddressScope> scopes) {
        Set<AddressScope> reach = EnumSet.of(AddressScope.PUBLIC);
        scopes.stream().filter(s -> !s.isUndialable()).forEach(reach::add);
        return new ContactFilter(reach);
    }

    public boolean follows(Contact contact) {
        InetSocketAddress address = contact.address();
        return !address.isUnresolved() && address.getPort() != 0 && reach.contains(AddressScope.of(address.getAddress()));
    }
}
