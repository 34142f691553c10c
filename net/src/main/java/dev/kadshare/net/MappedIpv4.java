package dev.kadshare.net;

import java.util.Arrays;

/** IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}): how a dual-stack socket may name an IPv4 peer. */
public final class MappedIpv4 {
    private MappedIpv4() {
    }

    /** Whether {@code address} (4 or 16 bytes) is {@code ::ffff:a.b.c.d}. */
    public static boolean is(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /** The four bytes of the IPv4 address that a mapped address carries. */
    public static byte[] ipv4(byte[] mapped) {
        return Arrays.copyOfRange(mapped, 12, 16);
    }
}
