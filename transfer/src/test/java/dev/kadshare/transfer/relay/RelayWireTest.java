package dev.kadshare.transfer.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.BaseEncoding;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RelayWireTest {
    private static byte[] hex(String s) {
        return BaseEncoding.base16().lowerCase().decode(s.replace(" ", ""));
    }

    @Test
    void theRequestsByteByteAsDocumented() {
        assertArrayEquals(hex("4b53524c 01 01 1e14"), RelayWire.encode(new RelayRequest.Reserve(7700)));
        assertArrayEquals(hex("4b53524c 01 02 04 0a4d0101 1e14"),
                RelayWire.encode(new RelayRequest.Connect(new InetSocketAddress("10.77.1.1", 7700))));
        assertArrayEquals(hex("4b53524c 01 02 06 20010db8000000000000000000000001 1e14"),
                RelayWire.encode(new RelayRequest.Connect(new InetSocketAddress("2001:db8::1", 7700))));
        assertArrayEquals(hex("4b53524c 01 02"), RelayWire.answer(RelayStatus.CIRCUITS_FULL));
    }

    @Test
    void requestsParseBackAndSayHowLongTheyAre() {
        for (RelayRequest r : new RelayRequest[] {new RelayRequest.Reserve(1),
                new RelayRequest.Connect(new InetSocketAddress("10.77.1.1", 65535)),
                new RelayRequest.Connect(new InetSocketAddress("2001:db8::1", 7700))}) {
            byte[] bytes = RelayWire.encode(r);
            assertEquals(new RelayWire.Parsed.Request(r, bytes.length), RelayWire.parse(bytes));
            for (int cut = 0; cut < bytes.length; cut++) {
                assertInstanceOf(RelayWire.Parsed.Incomplete.class, RelayWire.parse(Arrays.copyOf(bytes, cut)));
            }
        }
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        assertEquals(RelayStatus.VERSION_MISMATCH, refused("4b53524c 02 01 1e14"));
        assertEquals(RelayStatus.MALFORMED, refused("4b53524c 01 09 1e14"));
        assertEquals(RelayStatus.MALFORMED, refused("4b53524c 01 01 0000"));
        assertEquals(RelayStatus.MALFORMED, refused("4b53524c 01 02 05 0a4d0101 1e14"));
        assertEquals(RelayStatus.MALFORMED, refused("4b53524c 01 02 04 00000000 1e14"), "the wildcard address");
        assertEquals(RelayStatus.MALFORMED, refused("4b53524c 01 02 04 0a4d0101 0000"));
        assertEquals(RelayStatus.MALFORMED, refused("4b53524c 01 02 06 00000000000000000000ffff0a4d0101 1e14"),
                "an IPv4 address dressed as IPv6");
        assertEquals(RelayStatus.MALFORMED, refused("4b534c4b 01 01 1e14"), "the link's magic");
    }

    @Test
    void answersParse() {
        assertEquals(RelayStatus.ACCEPTED, RelayWire.parseAnswer(RelayWire.answer(RelayStatus.ACCEPTED)));
        assertEquals(RelayStatus.VERSION_MISMATCH, RelayWire.parseAnswer(hex("4b53524c 07 00")));
        assertEquals(RelayStatus.MALFORMED, RelayWire.parseAnswer(hex("4b53524c 01 63")));
        assertEquals(RelayStatus.MALFORMED, RelayWire.parseAnswer(hex("4b534c4b 01 00")));
    }

    @Test
    void theMagicTellsARelayRequestFromALink() {
        assertTrue(RelayWire.isRelay(hex("4b53524c")));
        assertFalse(RelayWire.isRelay(hex("4b534c4b")));
        assertFalse(RelayWire.isRelay(hex("4b53")));
    }

    private static RelayStatus refused(String bytes) {
        return assertInstanceOf(RelayWire.Parsed.Refused.class, RelayWire.parse(hex(bytes))).status();
    }
}
