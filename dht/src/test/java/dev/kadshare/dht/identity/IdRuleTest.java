package dev.kadshare.dht.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IdRuleTest {
    private final SplittableRandom random = new SplittableRandom(42);

    /** BEP 42's examples: the IP, its rand byte and the id prefix it gives (the first 21 bits count). */
    @ParameterizedTest
    @CsvSource({"124.31.75.21, 1, 5fbfbf", "21.75.31.124, 86, 5a3ce9", "65.23.51.170, 22, a5d432",
            "84.124.73.14, 65, 1b0321", "43.213.53.83, 90, e56f6c"})
    void theIpPrefixIsBep42s(String ip, int rand, String prefix) throws Exception {
        int crc = IdRule.prefix(InetAddress.getByName(ip), rand & 0x07);
        int expected = Integer.parseUnsignedInt(prefix, 16) << 8;
        assertEquals(expected >>> 11, crc >>> 11, "first 21 bits of " + Integer.toHexString(crc));
    }

    @Test
    void anIdIsItsKeysHashWithTheFirst21BitsFromItsIp() throws Exception {
        DhtKey key = DhtKey.generate(random);
        InetAddress ip = InetAddress.getByName("203.0.113.7");
        NodeId id = IdRule.idFor(ip, key.publicKey());
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.publicKey());
        byte[] bytes = id.bytes();
        assertEquals(hash[2] & 0x07, bytes[2] & 0x07);
        for (int i = 3; i < NodeId.BYTES; i++) {
            assertEquals(hash[i], bytes[i], "byte " + i + " is the key's");
        }
        assertTrue(IdRule.binds(id, ip, key.publicKey()));
        assertTrue(IdRule.prefixMatches(id, ip));
        assertFalse(IdRule.binds(id, InetAddress.getByName("203.0.113.8"), key.publicKey()), "another address");
        assertFalse(IdRule.prefixMatches(id, InetAddress.getByName("198.51.100.7")));
        assertFalse(IdRule.binds(id, ip, DhtKey.generate(random).publicKey()), "another key");
    }

    @Test
    void fromLoopbackOnlyTheKeysPartOfAnIdIsChecked() throws Exception {
        DhtKey key = DhtKey.generate(random);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // A daemon bound to the wildcard: its id bound to its interface address, its neighbours reach it on loopback.
        NodeId id = IdRule.idFor(InetAddress.getByName("192.168.1.5"), key.publicKey());
        assertTrue(IdRule.binds(id, loopback, key.publicKey()));
        assertTrue(IdRule.prefixMatches(id, loopback));
        byte[] otherSuffix = id.bytes();
        otherSuffix[NodeId.BYTES - 2] ^= 1;
        assertFalse(IdRule.binds(NodeId.of(otherSuffix), loopback, key.publicKey()), "the key's part still counts");
        assertFalse(IdRule.binds(id, InetAddress.getByName("192.168.1.6"), key.publicKey()), "a private address is checked");
    }

    @Test
    void oneAddressHasAtMostEightPrefixesWhateverKeysItTries() throws Exception {
        InetAddress ip = InetAddress.getByName("198.51.100.20");
        Set<Integer> prefixes = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            byte[] id = IdRule.idFor(ip, DhtKey.generate(random).publicKey()).bytes();
            prefixes.add((id[0] & 0xff) << 13 | (id[1] & 0xff) << 5 | (id[2] & 0xff) >>> 3);
        }
        assertEquals(8, prefixes.size(), "500 keys, 8 prefixes of 2^21: no id next to a key of its choosing");
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4AndIpv6MasksItsHighHalf() throws Exception {
        byte[] key = DhtKey.generate(random).publicKey();
        assertEquals(IdRule.idFor(InetAddress.getByName("203.0.113.9"), key),
                IdRule.idFor(InetAddress.getByAddress(HexFormat.of().parseHex("00000000000000000000ffffcb007109")), key));
        // Only the high 64 bits count, masked: two hosts of one /64 share their ids' prefix.
        assertEquals(IdRule.idFor(InetAddress.getByName("2001:db8:1:2::1"), key),
                IdRule.idFor(InetAddress.getByName("2001:db8:1:2::99"), key));
        assertNotEquals(IdRule.idFor(InetAddress.getByName("2001:db8:1:3::1"), key),
                IdRule.idFor(InetAddress.getByName("2001:db8:1:2::1"), key));
    }

    /**
     * The DHT key of an identity seed is its Ed25519 key in Montgomery form (u = (1 + y) / (1 - y)), RFC 8032's first
     * test vector: whoever knows a node's Ed25519 key knows its DHT key and id.
     */
    @Test
    void theDhtKeyOfASeedIsItsEd25519KeyInMontgomeryForm() {
        byte[] seed = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] ed25519 = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        java.math.BigInteger p = java.math.BigInteger.TWO.pow(255).subtract(java.math.BigInteger.valueOf(19));
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = ed25519[31 - i];
        }
        be[0] &= 0x7f;
        java.math.BigInteger y = new java.math.BigInteger(1, be);
        java.math.BigInteger u = java.math.BigInteger.ONE.add(y).multiply(java.math.BigInteger.ONE.subtract(y).modInverse(p)).mod(p);
        byte[] uBe = u.toByteArray();
        byte[] expected = new byte[32];
        for (int i = 0; i < Math.min(32, uBe.length); i++) {
            expected[i] = uBe[uBe.length - 1 - i];
        }
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(DhtKey.fromIdentitySeed(seed).publicKey()));
    }

    @Test
    void bothEndsDeriveTheSameSessionKeyAndASmallOrderKeyGivesNone() {
        DhtKey a = DhtKey.generate(random);
        DhtKey b = DhtKey.generate(random);
        byte[] ab = X25519SessionKeys.INSTANCE.derive(a, b.publicKey()).orElseThrow();
        assertEquals(HexFormat.of().formatHex(ab), HexFormat.of().formatHex(X25519SessionKeys.INSTANCE.derive(b, a.publicKey()).orElseThrow()));
        assertNotEquals(HexFormat.of().formatHex(ab),
                HexFormat.of().formatHex(X25519SessionKeys.INSTANCE.derive(a, DhtKey.generate(random).publicKey()).orElseThrow()));
        assertTrue(X25519SessionKeys.INSTANCE.derive(a, new byte[32]).isEmpty(), "the all-zero point");
        Sessions sessions = new Sessions(a, X25519SessionKeys.INSTANCE, 4);
        assertEquals(HexFormat.of().formatHex(ab), HexFormat.of().formatHex(sessions.keyFor(b.publicKey(), Sessions.Standing.ASKED_US).orElseThrow()));
        assertEquals(HexFormat.of().formatHex(ab), HexFormat.of().formatHex(sessions.keyFor(b.publicKey(), Sessions.Standing.ASKED_US).orElseThrow()), "from the cache");
        assertTrue(sessions.keyFor(new byte[32], Sessions.Standing.ASKED_US).isEmpty());
    }
}
