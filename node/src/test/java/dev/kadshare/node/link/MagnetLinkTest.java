package dev.kadshare.node.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MagnetLinkTest {
    private static final String HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void formatsTheDocumentedShape() {
        MagnetLink link = MagnetLink.of(ContentId.fromHex(HEX), "movie.mkv", 12345);
        assertEquals("magnet:?xt=urn:kadshare:" + HEX + "&dn=movie.mkv&xl=12345", link.format());
    }

    @Test
    void roundTripsNamesWithSpacesAndUnicodeAndPeerHints() {
        MagnetLink link = new MagnetLink(ContentId.fromHex(HEX), Optional.of("my file & ünïcode=.txt"), OptionalLong.of(0),
                List.of(new InetSocketAddress("127.0.0.1", 7700), new InetSocketAddress("127.0.0.1", 7701)));
        MagnetLink parsed = MagnetLink.parse(link.format());
        assertEquals(link, parsed);
        assertEquals("my file & ünïcode=.txt", parsed.name().orElseThrow());
    }

    @Test
    void acceptsUpperCaseHexAndUnknownParameters() {
        MagnetLink parsed = MagnetLink.parse("magnet:?xt=urn:kadshare:" + HEX.toUpperCase() + "&tr=x&&dn=a");
        assertEquals(HEX, parsed.contentId().toHex());
        assertTrue(parsed.size().isEmpty());
    }

    @Test
    void rejectsMalformedLinksWithAReason() {
        for (String bad : List.of("", "http://example", "magnet:?dn=x", "magnet:?xt=urn:btih:" + HEX,
                "magnet:?xt=urn:kadshare:1234", "magnet:?xt=urn:kadshare:" + HEX + "&xl=-1",
                "magnet:?xt=urn:kadshare:" + HEX + "&xl=lots", "magnet:?xt=urn:kadshare:" + HEX + "&x.pe=nohost",
                "magnet:?xt=urn:kadshare:" + HEX + "&x.pe=127.0.0.1:99999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MagnetLink.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), bad);
        }
    }
}
