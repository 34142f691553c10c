package dev.kadshare.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the first steps of a datagram's way in: its envelope opened ({@link Envelope#open}), a response's tag checked,
 * and the message decoded. Whatever arrives is a request, a response or a rejection, never an exception; an opened
 * datagram is sealed again to the same bytes (a response only when its tag is the session key's).
 */
class EnvelopeFuzzTest {
    /** The session key the seeds' responses are tagged under, so that some inputs carry a tag that holds. */
    private static final byte[] SESSION = filled(0x5e);
    private static final byte[] SENDER = filled(0x11);
    private final MessageCodec codec = new MessageCodec();

    /** Seeds: every message type in its envelope, as a node sends it (the committed corpus adds edge cases). */
    static Stream<byte[]> datagrams() {
        MessageCodec encoder = new MessageCodec();
        return MessageCodecTest.everyMessageType().map(message -> message instanceof Request request
                ? Envelope.request(SENDER, encoder.encode(request))
                : Envelope.response(SENDER, SESSION, encoder.encode(message)));
    }

    @MethodSource("datagrams")
    @FuzzTest
    void open(byte[] datagram) {
        byte[] message;
        Envelope.Opened opened = Envelope.open(datagram);
        if (opened instanceof Envelope.Opened.Rejected) {
            return;
        } else if (opened instanceof Envelope.Opened.Request request) {
            assertArrayEquals(datagram, Envelope.request(request.senderKey(), request.message()));
            message = request.message();
        } else {
            Envelope.Opened.Response response = (Envelope.Opened.Response) opened;
            assertArrayEquals(datagram, response.datagram());
            byte[] sealed = Envelope.response(response.senderKey(), SESSION, response.message());
            assertEquals(Arrays.equals(datagram, sealed), Envelope.tagHolds(datagram, SESSION));
            message = response.message();
        }
        Decoded decoded = codec.decode(message);
        if (decoded instanceof Decoded.Rejected rejected) {
            assertFalse(rejected.detail().startsWith(MessageCodec.UNEXPECTED), () -> "unforeseen failure: " + rejected);
        }
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[Envelope.KEY_BYTES];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }
}
