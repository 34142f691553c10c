package dev.kadshare.node.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.content.ContentId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The fuzz check of parsing a link, text a user pastes from anywhere, run by
 * {@link dev.kadshare.node.NodeDecodersFuzzTest}: it is a link or an IllegalArgumentException with a message for the
 * user, nothing else, and a link formats to text that parses to the same link and formats the same again. Host names
 * in peer hints are resolved from /etc/hosts only while testing (see node's pom), so the fuzzer never makes a DNS
 * query.
 */
public final class MagnetLinkFuzzCheck {
    private static final ContentId ID = ContentId.fromHex("0123456789abcdef".repeat(4));

    private MagnetLinkFuzzCheck() {
    }

    /** Seeds: links as share prints them (the committed corpus adds edge cases and findings). */
    public static Stream<byte[]> links() {
        return Stream.of(
                        MagnetLink.of(ID, "movie.mkv", 1L << 32),
                        MagnetLink.of(ID, "a & b = c %20 ü 🎉.txt", 0),
                        new MagnetLink(ID, Optional.of("dir"), OptionalLong.of(12), List.of(
                                new InetSocketAddress("127.0.0.1", 7700), new InetSocketAddress("::1", 7701))))
                .map(link -> link.format().getBytes(StandardCharsets.UTF_8));
    }

    /** Checks one link's text, as UTF-8. */
    public static void parse(byte[] text) {
        MagnetLink link;
        try {
            link = MagnetLink.parse(new String(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return;
        }
        String formatted = link.format();
        MagnetLink again = MagnetLink.parse(formatted);
        assertEquals(link, again);
        assertEquals(formatted, again.format());
    }
}
