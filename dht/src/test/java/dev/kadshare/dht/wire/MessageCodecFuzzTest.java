package dev.kadshare.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the DHT datagram decoder: whatever arrives is a message or a counted rejection, never an exception,
 * and a message survives a round trip. The encoding is not canonical (varints may be padded, an IPv4-mapped
 * IPv6 address comes back as IPv4, a request's zero padding is not kept), so the round trip compares messages, and
 * the bytes only from the second encoding on.
 */
class MessageCodecFuzzTest {
    private final MessageCodec codec = new MessageCodec();

    /** Seeds: one real encoding of every message type (the committed corpus adds edge cases and findings). */
    static Stream<byte[]> encodings() {
        MessageCodec encoder = new MessageCodec();
        return MessageCodecTest.everyMessageType().map(encoder::encode);
    }

    @MethodSource("encodings")
    @FuzzTest
    void decode(byte[] datagram) {
        Decoded decoded = codec.decode(datagram);
        if (decoded instanceof Decoded.Rejected rejected) {
            assertFalse(rejected.detail().startsWith(MessageCodec.UNEXPECTED), () -> "unforeseen failure: " + rejected);
            return;
        }
        Message message = ((Decoded.Ok) decoded).message();
        byte[] encoded = codec.encode(message);
        Decoded again = codec.decode(encoded);
        assertEquals(message, assertInstanceOf(Decoded.Ok.class, again).message());
        assertArrayEquals(encoded, codec.encode(((Decoded.Ok) again).message()));
        if (message instanceof Request request) {
            // Padded to the datagram's length (a request's padding is zeros and nothing else), it is still itself.
            assertEquals(message, assertInstanceOf(Decoded.Ok.class, codec.decode(codec.encode(request, datagram.length))).message());
        }
    }
}
