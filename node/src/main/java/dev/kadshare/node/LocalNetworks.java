package dev.kadshare.node;

import dev.kadshare.net.AddressScope;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
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

    static Set<AddressScope> of(InetAddress bound) {
        Set<AddressScope> scopes = EnumSet.noneOf(AddressScope.class);
        if (!bound.isAnyLocalAddress()) {
            scopes.add(AddressScope.of(bound));
            return scopes;
        }
        scopes.add(AddressScope.LOOPBACK);
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    scopes.add(AddressScope.of(a));
                }
            }
        } catch (SocketException e) {
            // Unreadable interfaces: loopback and public only, the safe side.
        }
        return scopes;
    }
}
