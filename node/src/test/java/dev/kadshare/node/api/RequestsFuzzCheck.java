package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The fuzz check of reading the control API's request bodies as the server does ({@link Requests#read}), run by
 * {@link dev.kadshare.node.NodeDecodersFuzzTest}: a body is a request or an ApiError 400, nothing else, and a
 * request written back as JSON reads as the same request and is written the same again.
 *
 * <p>Input: one byte choosing the body's type (even: share, odd: get), then the body.
 */
public final class RequestsFuzzCheck {
    private static final Class<?>[] TYPES = {Requests.Share.class, Requests.Get.class};

    private RequestsFuzzCheck() {
    }

    /** Seeds: each body type as the CLI sends it (the committed corpus adds edge cases and findings). */
    public static Stream<byte[]> bodies() throws JsonProcessingException {
        return Stream.of(
                withType(0, Json.MAPPER.writeValueAsBytes(new Requests.Share("/abs/movie.mkv", "name ü"))),
                withType(0, Json.MAPPER.writeValueAsBytes(new Requests.Share("/abs/dir", null))),
                withType(1, Json.MAPPER.writeValueAsBytes(new Requests.Get("magnet:?xt=urn:kadshare:" + "ab".repeat(32), "/tmp/out"))));
    }

    /** Checks one input: the type's byte, then the body. */
    public static void read(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        Class<?> type = TYPES[input[0] & 1];
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        Object request;
        try {
            request = Requests.read(body, type);
        } catch (ApiError e) {
            assertEquals(400, e.status(), e.getMessage());
            return;
        }
        byte[] written = Json.MAPPER.writeValueAsBytes(request);
        Object again = Requests.read(written, type);
        assertEquals(request, again);
        assertArrayEquals(written, Json.MAPPER.writeValueAsBytes(again));
    }

    private static byte[] withType(int type, byte[] body) {
        byte[] input = new byte[body.length + 1];
        input[0] = (byte) type;
        System.arraycopy(body, 0, input, 1, body.length);
        return input;
    }
}
