package dev.kadshare.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The loopback address of each family: where a node bound to a wildcard says it is when it knows no better. */
public final class Loopback {
    public static final InetAddress IPV4 = InetAddress.getLoopbackAddress();
    public static final InetAddress IPV6 = ipv6();

    private Loopback() {
    }

    private static InetAddress ipv6() {
        try {
            return InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}
