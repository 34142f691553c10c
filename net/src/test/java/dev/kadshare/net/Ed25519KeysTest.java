package dev.kadshare.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Ed25519 keys and signatures against RFC 8032's test vectors, and what a verifier must refuse. */
class Ed25519KeysTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The order of the base point: a signature's S must be below it (RFC 8032, 5.1.7). */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    // RFC 8032, section 7.1, TEST 1, 2 and 3: seed, public key, message, signature
    @ParameterizedTest
    @CsvSource({
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60, d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '', e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb, 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72, 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7, fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82, 6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"})
    void signsAndVerifiesRfc8032sVectors(String seed, String publicKey, String message, String signature) {
        Ed25519Key key = Ed25519Key.fromSeed(HEX.parseHex(seed));
        byte[] m = HEX.parseHex(message);
        assertEquals(publicKey, HEX.formatHex(key.publicKey()));
        assertEquals(signature, HEX.formatHex(key.sign(m)));
        assertTrue(Ed25519Keys.verifies(HEX.parseHex(publicKey), m, HEX.parseHex(signature), 0, 64));
    }

    @Test
    void refusesATamperedMessageSignatureOrKey() {
        Ed25519Key key = Ed25519Key.fromSeed(new byte[32]);
        byte[] message = "kadshare".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] signature = key.sign(message);
        assertTrue(Ed25519Keys.verifies(key.publicKey(), message, signature, 0, 64));

        byte[] otherMessage = message.clone();
        otherMessage[0] ^= 1;
        assertFalse(Ed25519Keys.verifies(key.publicKey(), otherMessage, signature, 0, 64));
        for (int at : new int[] {0, 31, 32, 63}) {
            byte[] flipped = signature.clone();
            flipped[at] ^= 0x01;
            assertFalse(Ed25519Keys.verifies(key.publicKey(), message, flipped, 0, 64), "bit flipped at byte " + at);
        }
        byte[] otherKey = Ed25519Key.fromSeed(filled(1)).publicKey();
        assertFalse(Ed25519Keys.verifies(otherKey, message, signature, 0, 64));
    }

    @Test
    void refusesANonCanonicalSignatureAndMalformedInput() {
        Ed25519Key key = Ed25519Key.fromSeed(filled(2));
        byte[] message = new byte[] {1, 2, 3};
        byte[] signature = key.sign(message);
        // S + L names the same scalar but is not canonical: accepting it would make signatures malleable
        byte[] sPlusL = Arrays.copyOf(signature, 64);
        byte[] s = littleEndian(new BigInteger(1, reversed(Arrays.copyOfRange(signature, 32, 64))).add(L));
        System.arraycopy(s, 0, sPlusL, 32, 32);
        assertFalse(Ed25519Keys.verifies(key.publicKey(), message, sPlusL, 0, 64));

        // 2^255 - 1 encodes no curve point
        byte[] noPoint = filled(0xff);
        noPoint[31] = 0x7f;
        assertFalse(Ed25519Keys.verifies(noPoint, message, signature, 0, 64));
        assertFalse(Ed25519Keys.verifies(Arrays.copyOf(key.publicKey(), 31), message, signature, 0, 64));
        assertFalse(Ed25519Keys.verifies(key.publicKey(), message, signature, 0, 63));
        assertFalse(Ed25519Keys.verifies(key.publicKey(), message, signature, 1, 64));
        assertFalse(Ed25519Keys.verifies(key.publicKey(), message, signature, -1, 64));
        // a signature found inside a longer buffer
        byte[] framed = new byte[70];
        System.arraycopy(signature, 0, framed, 3, 64);
        assertTrue(Ed25519Keys.verifies(key.publicKey(), message, framed, 3, 64));
    }

    @Test
    void aSeedIsThirtyTwoBytesAndStaysPrivate() {
        assertThrows(IllegalArgumentException.class, () -> Ed25519Key.fromSeed(new byte[31]));
        byte[] seed = filled(3);
        Ed25519Key key = Ed25519Key.fromSeed(seed);
        byte[] before = key.sign(new byte[0]);
        seed[0] ^= 1; // the caller's array changing later changes nothing
        assertArrayEquals(before, key.sign(new byte[0]));
    }

    private static byte[] filled(int value) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    /** {@code value} as 32 little-endian bytes. */
    private static byte[] littleEndian(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, bigEndian.length); i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }
}
