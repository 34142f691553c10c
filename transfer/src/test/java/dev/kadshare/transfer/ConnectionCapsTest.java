package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the caps count a connection against; only addresses are counted here, nothing is sent anywhere. */
class ConnectionCapsTest {
    private final ConnectionCaps caps = new ConnectionCaps(ConnectionLimits.defaults());

    private static InetAddress literal(String address) throws UnknownHostException {
        return InetAddress.getAllByName(address)[0];
    }

    @Test
    void anIpv6HostHoldsItsCapWhicheverAddressesOfItsSlash64ItConnectsFrom() throws Exception {
        int cap = ConnectionLimits.defaults().maxConnectionsPerIp();
        for (int i = 1; i <= cap; i++) {
            assertEquals(Optional.empty(), caps.admit(literal("2001:db8:0:7::" + Integer.toHexString(i))));
        }
        assertEquals(Optional.of(ConnectionDrop.IP_CAP), caps.admit(literal("2001:db8:0:7:dead:beef:0:1")),
                "a fresh address of the same /64 is the same host");
        assertEquals(Optional.empty(), caps.admit(literal("2001:db8:0:8::1")), "another /64 is another host");
        caps.release(literal("2001:db8:0:7::1"));
        assertEquals(Optional.empty(), caps.admit(literal("2001:db8:0:7::99")), "a place freed by the host's close");
        assertEquals(cap + 1, caps.open());
    }

    @Test
    void ipv4AddressesAreHostsOfTheirOwn() throws Exception {
        int cap = ConnectionLimits.defaults().maxConnectionsPerIp();
        for (int i = 0; i < cap; i++) {
            assertEquals(Optional.empty(), caps.admit(literal("198.51.100.7")));
        }
        assertEquals(Optional.of(ConnectionDrop.IP_CAP), caps.admit(literal("198.51.100.7")));
        assertEquals(Optional.empty(), caps.admit(literal("198.51.100.8")));
    }
}
