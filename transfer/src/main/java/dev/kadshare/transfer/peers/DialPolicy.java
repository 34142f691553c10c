package dev.kadshare.transfer.peers;

import dev.kadshare.net.AddressScope;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which addresses named by others (peer exchange, the DHT, a link's hints) this node dials: never an unspecified,
 * multicast or broadcast address or port 0; a loopback, link-local or private one only when this node is itself on
 * such a network (it reaches, see {@link #reaching}); and at most {@link #PER_SUBNET} per /24 (IPv6 /64) from one
 * source, counted by the source's {@link SourceTally}, so no source can point this node at a whole network. Loopback
 * addresses are not counted: a node on loopback is a test or a demo, whose peers all share 127.0.0.1 (or 127/8).
 * Immutable, thread-safe.
 */
public final class DialPolicy {
    /** Addresses one source may name in one /24 (IPv6 /64) and have dialled. */
    public static final int PER_SUBNET = 4;

    private final Set<AddressScope> reach;

    private DialPolicy(Set<AddressScope> reach) {
        this.reach = Set.copyOf(reach);
    }

    /** Dials public addresses and those of {@code scopes} (the networks this node is on). */
    public static DialPolicy reaching(Set<AddressScope> scopes) {
        Set<AddressScope> reach = EnumSet.of(AddressScope.PUBLIC);
        for (AddressScope s : scopes) {
            if (!s.isUndialable()) {
                reach.add(s);
            }
        }
        return new DialPolicy(reach);
    }

    /** Dials every address a peer can be at (loopback, link-local, private, public): tests, simulations. */
    public static DialPolicy everywhere() {
        return reaching(EnumSet.allOf(AddressScope.class));
    }

    /** The scopes dialled. */
    public Set<AddressScope> reach() {
        return reach;
    }

    /** True if {@code address}, named by the source {@code tally} counts for, is to be dialled; counts it if so. */
    public boolean admits(InetSocketAddress address, SourceTally tally) {
        if (address.isUnresolved() || address.getPort() == 0) {
            return false;
        }
        AddressScope scope = AddressScope.of(address.getAddress());
        if (!reach.contains(scope)) {
            return false;
        }
        return scope == AddressScope.LOOPBACK || tally.admit(address, PER_SUBNET);
    }
}
