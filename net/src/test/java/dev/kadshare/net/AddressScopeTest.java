package dev.kadshare.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressScopeTest {
    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
        "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST",
        "255.255.255.255, BROADCAST", "240.0.0.1, BROADCAST",
        "127.0.0.1, LOOPBACK", "127.1.2.3, LOOPBACK", "::1, LOOPBACK",
        "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
        "10.0.0.1, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
        "100.64.0.1, PRIVATE", "100.127.255.255, PRIVATE", "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE",
        "172.15.0.1, PUBLIC", "172.32.0.1, PUBLIC", "100.63.255.255, PUBLIC", "100.128.0.0, PUBLIC",
        "8.8.8.8, PUBLIC", "2001:db8::1, PUBLIC", "fec0::1, PUBLIC", "::ffff:10.1.2.3, PRIVATE"
    })
    void classifies(String literal, AddressScope expected) throws UnknownHostException {
        assertEquals(expected, AddressScope.of(InetAddress.getByName(literal)));
    }

    @Test
    void aMappedAddressInItsRawSixteenBytesIsClassedAsItsIpv4() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        assertEquals(AddressScope.LOOPBACK, AddressScope.of(java.net.Inet6Address.getByAddress(null, mapped, -1)));
    }

    @Test
    void subnetsAreSlash24AndSlash64() throws UnknownHostException {
        assertEquals(Subnet.of(InetAddress.getByName("203.0.113.1")), Subnet.of(InetAddress.getByName("203.0.113.254")));
        assertNotEquals(Subnet.of(InetAddress.getByName("203.0.113.1")), Subnet.of(InetAddress.getByName("203.0.114.1")));
        assertEquals(Subnet.of(InetAddress.getByName("2001:db8:1:2::1")), Subnet.of(InetAddress.getByName("2001:db8:1:2:ffff::9")));
        assertNotEquals(Subnet.of(InetAddress.getByName("2001:db8:1:2::1")), Subnet.of(InetAddress.getByName("2001:db8:1:3::1")));
    }
}
