package dev.kadshare.transfer.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A link identity's Ed25519 key, node id and Noise static key, derived from the seed. */
class LinkIdentityTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ed25519KeyFromTheSeedIsRfc8032s() throws Exception {
        // RFC 8032, section 7.1, TEST 1
        LinkIdentity id = LinkIdentity.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", HEX.formatHex(id.publicKey()));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(id.publicKey()), id.nodeId());
        // TEST 1 signs the empty message
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
                HEX.formatHex(id.sign(new byte[0])));
    }

    @Test
    void noiseStaticKeyIsStableAndDomainSeparated() throws Exception {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        LinkIdentity once = LinkIdentity.fromSeed(seed);
        LinkIdentity again = LinkIdentity.fromSeed(seed.clone());
        assertArrayEquals(once.noiseStatic().publicKey(), again.noiseStatic().publicKey());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("kadshare link noise static key v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(sha.digest(seed), once.noiseStatic().privateKey());
        assertFalse(Arrays.equals(seed, once.noiseStatic().privateKey()));
    }
}
