package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.AddressScope;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalNetworksTest {
    @Test
    void aNodeBoundToOneAddressIsOnThatAddresssNetworkAlone() throws Exception {
        assertEquals(EnumSet.of(AddressScope.LOOPBACK), LocalNetworks.of(InetAddress.getLoopbackAddress()));
        assertEquals(EnumSet.of(AddressScope.PRIVATE), LocalNetworks.of(InetAddress.getByName("192.168.7.7")));
        assertEquals(EnumSet.of(AddressScope.PUBLIC), LocalNetworks.of(InetAddress.getByName("203.0.113.7")));
    }

    @Test
    void aNodeBoundToTheWildcardIsOnEveryNetworkOfTheHostLoopbackIncluded() throws Exception {
        Set<AddressScope> scopes = LocalNetworks.of(InetAddress.getByName("0.0.0.0"));
        assertTrue(scopes.contains(AddressScope.LOOPBACK), scopes.toString());
    }
}
