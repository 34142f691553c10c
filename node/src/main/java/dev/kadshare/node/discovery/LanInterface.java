package dev.kadshare.node.discovery;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A network interface LAN discovery runs on: its name and the subnets of its addresses of the group's family.
 * Discovery accepts a packet only from an address on one of these subnets.
 */
public record LanInterface(String name, List<Subnet> subnets) {
    public LanInterface {
        Objects.requireNonNull(name, "name");
        subnets = List.copyOf(subnets);
    }

    /** True if {@code address} lies on one of this interface's subnets. */
    public boolean holds(InetAddress address) {
        return subnets.stream().anyMatch(s -> s.contains(address));
    }

    /** One address of an interface and its prefix length: {@code 10.77.0.11/24}. */
    public record Subnet(InetAddress address, int prefixLength) {
        public Subnet {
            Objects.requireNonNull(address, "address");
            int bits = address.getAddress().length * 8;
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " for " + address);
            }
        }

        /** True if {@code other} has the same family and the same first {@code prefixLength} bits. */
        public boolean contains(InetAddress other) {
            byte[] a = address.getAddress();
            byte[] b = other.getAddress();
            if (a.length != b.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != b[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (a[full] & mask) == (b[full] & mask);
        }

        @Override
        public String toString() {
            return address.getHostAddress() + "/" + prefixLength;
        }
    }
}
