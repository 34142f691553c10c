package dev.kadshare.transfer.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.AddressScope;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DialPolicyTest {
    private static InetSocketAddress at(String ip, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void aPublicNodeDialsOnlyPublicAddressesWithAPort() throws Exception {
        DialPolicy policy = DialPolicy.reaching(Set.of(AddressScope.PUBLIC));
        SourceTally tally = new SourceTally();
        assertTrue(policy.admits(at("8.8.8.8", 7700), tally));
        assertTrue(policy.admits(at("2001:db8::1", 7700), tally));
        for (String ip : new String[] {"0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "127.0.0.1", "::1",
                "10.1.1.1", "172.20.0.1", "192.168.0.1", "100.64.1.1", "169.254.1.1", "fe80::1", "fd00::1"}) {
            assertFalse(policy.admits(at(ip, 7700), tally), ip);
        }
        assertFalse(policy.admits(at("8.8.4.4", 0), tally), "port 0");
        assertFalse(policy.admits(InetSocketAddress.createUnresolved("example.org", 7700), tally), "unresolved");
    }

    @Test
    void networksTheNodeIsOnAreDialledButNeverTheUndialable() throws Exception {
        DialPolicy policy = DialPolicy.reaching(EnumSet.of(AddressScope.LOOPBACK, AddressScope.PRIVATE,
                AddressScope.MULTICAST, AddressScope.UNSPECIFIED));
        assertEquals(EnumSet.of(AddressScope.PUBLIC, AddressScope.LOOPBACK, AddressScope.PRIVATE), policy.reach());
        SourceTally tally = new SourceTally();
        assertTrue(policy.admits(at("127.0.0.1", 7700), tally));
        assertTrue(policy.admits(at("10.0.0.1", 7700), tally));
        assertFalse(policy.admits(at("169.254.0.1", 7700), tally), "not on a link-local network");
        assertFalse(policy.admits(at("224.0.0.1", 7700), tally));
    }

    @Test
    void oneSourceHasAtMostFourAddressesDialledPerSubnetButLoopbackIsNotCounted() throws Exception {
        DialPolicy policy = DialPolicy.everywhere();
        SourceTally one = new SourceTally();
        for (int i = 1; i <= DialPolicy.PER_SUBNET; i++) {
            assertTrue(policy.admits(at("203.0.113." + i, 7700), one));
        }
        assertFalse(policy.admits(at("203.0.113.99", 7700), one), "a fifth in the /24");
        assertTrue(policy.admits(at("203.0.113.1", 7700), one), "one named again costs nothing");
        assertTrue(policy.admits(at("203.0.114.1", 7700), one), "another /24");
        assertTrue(policy.admits(at("203.0.113.99", 7700), new SourceTally()), "another source");
        for (int i = 0; i < DialPolicy.PER_SUBNET; i++) {
            assertTrue(policy.admits(at("2001:db8:0:1::" + (i + 1), 7700), one));
        }
        assertFalse(policy.admits(at("2001:db8:0:1::ff", 7700), one), "a fifth in the /64");
        for (int port = 1; port <= 50; port++) {
            assertTrue(policy.admits(at("127.0.0.1", port), one), "loopback: tests and simulations");
        }
    }

    @Test
    void aSourceNamingThousandsOfSubnetsIsCutOffAtItsBound() throws Exception {
        DialPolicy policy = DialPolicy.everywhere();
        SourceTally tally = new SourceTally();
        int admitted = 0;
        for (int n = 0; n < 2048; n++) { // an address in a /24 of its own each time
            if (policy.admits(at((n >> 8) + 1 + ".51." + (n & 0xFF) + ".7", 7700), tally)) {
                admitted++;
            }
        }
        assertEquals(SourceTally.MAX_ADDRESSES, admitted, "a quarter of a download's book of peers at most");
        assertTrue(policy.admits(at("1.51.0.7", 7700), tally), "an address admitted before costs nothing again");
        assertTrue(policy.admits(at("9.9.9.9", 7700), new SourceTally()), "another source");
    }
}
