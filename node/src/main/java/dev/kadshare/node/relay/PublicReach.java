package dev.kadshare.node.relay;

import dev.kadshare.dht.reach.Mapping;
import dev.kadshare.net.AddressScope;
import java.net.InetAddress;

/**
 * Whether a node can be dialled from anywhere, and so is a useful relay: observers agree they see it at the address it
 * bound (its mapping is open), or it is bound to a public address.
 */
public final class PublicReach {
    private PublicReach() {
    }

    public static boolean of(Mapping mapping, InetAddress bound) {
        return mapping == Mapping.OPEN || AddressScope.of(bound) == AddressScope.PUBLIC;
    }
}
