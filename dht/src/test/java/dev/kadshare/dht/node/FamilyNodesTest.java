package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class FamilyNodesTest {
    @Test
    void anIpv4MappedSourceIsIpv4AndAZeroScopeIsDropped() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 77, 0, 5};
        InetSocketAddress fromDualStack = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, 0), 7700);
        InetSocketAddress plain = FamilyNodes.plain(fromDualStack);
        assertInstanceOf(Inet4Address.class, plain.getAddress());
        assertEquals(new InetSocketAddress("10.77.0.5", 7700), plain);

        byte[] ula = InetAddress.getByName("fd77::11").getAddress();
        InetSocketAddress scoped = new InetSocketAddress(Inet6Address.getByAddress(null, ula, 0), 7700);
        assertEquals("[fd77:0:0:0:0:0:0:11]:7700", "[" + FamilyNodes.plain(scoped).getAddress().getHostAddress() + "]:"
                + FamilyNodes.plain(scoped).getPort());

        InetSocketAddress linkLocal = new InetSocketAddress(Inet6Address.getByAddress(null,
                InetAddress.getByName("fe80::1").getAddress(), 3), 7700);
        assertSame(linkLocal, FamilyNodes.plain(linkLocal), "a real scope stays");
        InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 1);
        assertSame(v4, FamilyNodes.plain(v4));
    }
}
