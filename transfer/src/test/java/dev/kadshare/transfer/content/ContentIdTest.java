package dev.kadshare.transfer.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentIdTest {
    private static final String HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void hexRoundTripsAndParsesEitherCase() {
        ContentId id = ContentId.fromHex(HEX);
        assertEquals(HEX, id.toHex());
        assertEquals(id, ContentId.fromHex(HEX.toUpperCase()));
        assertEquals(id.hashCode(), ContentId.fromHex(HEX).hashCode());
    }

    @Test
    void bytesAreACopy() {
        ContentId id = ContentId.fromHex(HEX);
        byte[] b = id.bytes();
        b[0] = 42;
        assertNotEquals(42, id.bytes()[0]);
        assertArrayEquals(id.bytes(), ContentId.of(id.bytes()).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", HEX + "00", "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
            " 0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"})
    void fromHexRejectsBadInput(String bad) {
        assertThrows(IllegalArgumentException.class, () -> ContentId.fromHex(bad));
    }

    @Test
    void fromHexRejectsNullAndOfRejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> ContentId.fromHex(null));
        assertThrows(IllegalArgumentException.class, () -> ContentId.of(new byte[31]));
    }
}
