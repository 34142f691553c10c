package dev.kadshare.node.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.reach.Mapping;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PublicReachTest {
    @Test
    void anOpenMappingOrAPublicBoundAddressMakesARelay() throws Exception {
        assertTrue(PublicReach.of(Mapping.OPEN, InetAddress.getByName("10.77.100.10")), "observers see what it bound");
        assertTrue(PublicReach.of(Mapping.UNKNOWN, InetAddress.getByName("198.51.100.7")));
        assertFalse(PublicReach.of(Mapping.UNKNOWN, InetAddress.getByName("192.168.1.10")));
        assertFalse(PublicReach.of(Mapping.SYMMETRIC, InetAddress.getByName("10.0.0.2")));
        assertFalse(PublicReach.of(Mapping.PORT_PRESERVING, InetAddress.getByName("0.0.0.0")), "a wildcard proves nothing");
    }
}
