package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

class DefaultHostTest {
    /** Dual stack wherever an IPv6 socket can be bound (this host, as the test finds it); IPv4 only elsewhere. */
    @Test
    void bindsBothFamiliesWhereTheHostHasIpv6() {
        boolean ipv6;
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress("::1", 0));
            ipv6 = true;
        } catch (IOException | UnsupportedOperationException e) {
            ipv6 = false;
        }
        assertEquals(ipv6 ? "::" : "0.0.0.0", DaemonCommand.defaultHost());
    }
}
