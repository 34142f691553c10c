package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.testkit.Ipv6Loopback;
import org.junit.jupiter.api.Test;

class DefaultHostTest {
    /** Dual stack wherever an IPv6 socket can be bound (this host, as the test finds it); IPv4 only elsewhere. */
    @Test
    void bindsBothFamiliesWhereTheHostHasIpv6() {
        boolean ipv6 = Ipv6Loopback.available();
        assertEquals(ipv6 ? "::" : "0.0.0.0", DaemonCommand.defaultHost());
    }
}
