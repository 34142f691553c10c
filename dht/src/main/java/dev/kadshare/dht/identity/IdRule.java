package dev.kadshare.dht.identity;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.MappedIpv4;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The id rule: a node's id is the SHA-256 of its DHT public key ({@link DhtKey}) with the first 21 bits replaced by
 * BEP 42's CRC32C of its IP, masked, and r, the low 3 bits of the id's last byte. One IP therefore has 8 prefixes to
 * choose from out of 2^21, so no host can place an id next to a key of its choosing; and the rest of the id is fixed by
 * the key, which the node proves by authenticating its answers. Private addresses follow the rule as public ones do.
 * Loopback is the one exception, for the prefix only: a node seen from loopback is on this machine, reached there
 * whatever address its id is bound to (a daemon bound to the wildcard has its id bound to its interface's address),
 * so only the key's part of its id is checked. A process on the machine can choose its prefix; nobody elsewhere can
 * send from loopback, nor is a loopback contact named by a peer ever followed off loopback ({@code ContactFilter}).
 */
public final class IdRule {
    /** How many leading bits of an id the IP fixes. */
    public static final int BOUND_BITS = 21;
    private static final int IPV4_MASK = 0x030f3fff;
    private static final long IPV6_MASK = 0x0103070f1f3f7fffL;

    private IdRule() {
    }

    /** The id of the node with {@code publicKey} at {@code ip}. */
    public static NodeId idFor(InetAddress ip, byte[] publicKey) {
        byte[] id = sha256(publicKey);
        int prefix = prefix(ip, id[NodeId.BYTES - 1] & 0x07);
        id[0] = (byte) (prefix >>> 24);
        id[1] = (byte) (prefix >>> 16);
        id[2] = (byte) ((prefix >>> 8) & 0xf8 | id[2] & 0x07);
        return NodeId.of(id);
    }

    /** Whether {@code id} is the id of the node with {@code publicKey} at {@code ip} (from loopback: past the prefix). */
    public static boolean binds(NodeId id, InetAddress ip, byte[] publicKey) {
        NodeId bound = idFor(ip, publicKey);
        if (!ip.isLoopbackAddress()) {
            return bound.equals(id);
        }
        byte[] a = bound.bytes();
        byte[] b = id.bytes();
        return (a[2] & 0x07) == (b[2] & 0x07) && Arrays.equals(a, 3, NodeId.BYTES, b, 3, NodeId.BYTES);
    }

    /**
     * Whether the first 21 bits of {@code id} are those {@code ip} gives it, the check a contact named in a reply gets
     * before it is followed (its key is not known yet; its answer will prove it).
     */
    public static boolean prefixMatches(NodeId id, InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return true;
        }
        byte[] bytes = id.bytes();
        int prefix = prefix(ip, bytes[NodeId.BYTES - 1] & 0x07);
        return bytes[0] == (byte) (prefix >>> 24) && bytes[1] == (byte) (prefix >>> 16)
                && (bytes[2] & 0xf8) == ((prefix >>> 8) & 0xf8);
    }

    /** BEP 42: CRC32C of the masked address with r in its top 3 bits (IPv4 bits 29-31, IPv6 bits 61-63). */
    static int prefix(InetAddress ip, int r) {
        byte[] address = ip.getAddress();
        if (MappedIpv4.is(address)) {
            address = MappedIpv4.ipv4(address);
        }
        byte[] masked;
        if (address.length == 4) {
            int v4 = (address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8 | address[3] & 0xff;
            v4 = v4 & IPV4_MASK | r << 29;
            masked = new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        } else {
            long high = 0;
            for (int i = 0; i < 8; i++) {
                high = high << 8 | address[i] & 0xff;
            }
            high = high & IPV6_MASK | (long) r << 61;
            masked = new byte[8];
            for (int i = 7; i >= 0; i--) {
                masked[i] = (byte) high;
                high >>>= 8;
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(masked);
        return (int) crc.getValue();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
