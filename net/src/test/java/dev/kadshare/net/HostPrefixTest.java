package dev.kadshare.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class HostPrefixTest {
    private static InetAddress literal(String address) throws UnknownHostException {
        return InetAddress.getAllByName(address)[0];
    }

    @Test
    void anIpv4AddressIsAHostOfItsOwn() throws Exception {
        HostPrefix host = HostPrefix.of(literal("203.0.113.7"));
        assertEquals("203.0.113.7", host.toString());
        assertEquals(host, HostPrefix.of(literal("203.0.113.7")));
        assertNotEquals(host, HostPrefix.of(literal("203.0.113.8")), "a neighbour in the /24 is another host");
    }

    @Test
    void everyAddressOfAnIpv6Slash64IsOneHost() throws Exception {
        HostPrefix host = HostPrefix.of(literal("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(HostPrefix.of(literal("2001:db8:1:2::1")), host, "a privacy address of the same host");
        assertEquals("2001:db8:1:2:0:0:0:0/64", host.toString());
        assertNotEquals(HostPrefix.of(literal("2001:db8:1:3::1")), host, "the next /64 is another host");
    }

    @Test
    void anIpv6AddressThisSideOfTheInternetIsAHostOfItsOwn() throws Exception {
        // Every neighbour of a link shares fe80::/64, and of a LAN its unique local /64: each counts alone.
        byte[] linkLocal = literal("fe80::1:2:3:4").getAddress();
        HostPrefix neighbour = HostPrefix.of(Inet6Address.getByAddress(null, linkLocal, 2));
        assertEquals(new HostPrefix(literal("fe80::1:2:3:4"), 128), neighbour, "its scope is not its host");
        assertNotEquals(HostPrefix.of(literal("fe80::9")), neighbour);
        assertNotEquals(HostPrefix.of(literal("fd00::1")), HostPrefix.of(literal("fd00::2")));
        assertEquals("0:0:0:0:0:0:0:1", HostPrefix.of(literal("::1")).toString(), "no /bits for a whole address");
    }

    @Test
    void aMappedAddressIsItsIpv4Host() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {(byte) 198, 51, 100, 9}, 0, mapped, 12, 4);
        assertEquals(HostPrefix.of(literal("198.51.100.9")), HostPrefix.of(Inet6Address.getByAddress(null, mapped, -1)));
    }

    @Test
    void aPrefixOfTheWrongLengthIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new HostPrefix(literal("2001:db8::"), 32));
        assertThrows(IllegalArgumentException.class, () -> new HostPrefix(literal("192.0.2.1"), 64));
        assertThrows(IllegalArgumentException.class, () -> new HostPrefix(literal("2001:db8::1"), 64), "not a /64's start");
        assertEquals(128, new HostPrefix(literal("2001:db8::1"), 128).bits());
    }
}
