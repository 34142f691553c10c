package dev.kadshare.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/** Whether this host can bind ::1, for the tests that need IPv6 on loopback (and skip, saying so, without it). */
public final class Ipv6Loopback {
    private Ipv6Loopback() {
    }

    public static boolean available() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
