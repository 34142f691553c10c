package dev.kadshare.node.discovery;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Whether a node runs LAN discovery, and on which multicast group and port. The default group is in the
 * organization-local scope (RFC 2365, 239.192.0.0/14), as BEP 14's is; the default port is kadshare's own, 7771, not
 * BitTorrent's 6771, so that BitTorrent clients on the LAN neither parse our packets nor send us theirs.
 */
public record LanSettings(boolean enabled, InetSocketAddress group) {
    public static final InetSocketAddress DEFAULT_GROUP = new InetSocketAddress(ip("239.192.77.71"), 7771);
    /** On, on the default group: what a daemon runs unless told otherwise. */
    public static final LanSettings DEFAULT = new LanSettings(true, DEFAULT_GROUP);
    /** Off: nodes built in-process (tests, the demo, the simulation) send nothing to any LAN. */
    public static final LanSettings OFF = new LanSettings(false, DEFAULT_GROUP);

    public LanSettings {
        Objects.requireNonNull(group, "group");
        if (!(group.getAddress() instanceof Inet4Address) || !group.getAddress().isMulticastAddress()) {
            throw new IllegalArgumentException("the LAN discovery group must be an IPv4 multicast address (224.0.0.0/4), got "
                    + group.getHostString());
        }
        if (group.getPort() < 1) {
            throw new IllegalArgumentException("the LAN discovery port must be 1-65535");
        }
    }

    /** Parses a group address given on the command line or in the config file: a literal, never a name to look up. */
    public static InetAddress parseGroup(String text) {
        InetAddress address;
        try {
            address = InetAddresses.forString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an IPv4 multicast address such as 239.192.77.71, got '" + text + "'");
        }
        if (!(address instanceof Inet4Address) || !address.isMulticastAddress()) {
            throw new IllegalArgumentException("expected an IPv4 multicast address (224.0.0.0/4), got '" + text + "'");
        }
        return address;
    }

    private static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }
}
