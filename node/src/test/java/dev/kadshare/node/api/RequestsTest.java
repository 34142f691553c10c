package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestsTest {
    @Test
    void readsABody() {
        assertEquals(new Requests.Get("magnet:?x", "/out"),
                Requests.read("{\"link\":\"magnet:?x\",\"outDir\":\"/out\"}".getBytes(StandardCharsets.UTF_8), Requests.Get.class));
    }

    @Test
    void badJsonIsA400() {
        ApiError e = assertThrows(ApiError.class,
                () -> Requests.read("{\"path\":".getBytes(StandardCharsets.UTF_8), Requests.Share.class));
        assertEquals(400, e.status());
    }

    /** Found by RequestsFuzzTest: such a body escaped as an IOException, and the server closed without answering. */
    @Test
    void bytesThatLookLikeUtf32ButAreNotAre400NotAnIoException() {
        byte[] body = new byte[36];
        body[32] = 'I';
        body[33] = 'I';
        body[34] = 'I';
        body[35] = 'I'; // zero bytes first: Jackson decodes UTF-32, and 0x49494949 is no code point
        ApiError e = assertThrows(ApiError.class, () -> Requests.read(body, Requests.Get.class));
        assertEquals(400, e.status());
    }
}
