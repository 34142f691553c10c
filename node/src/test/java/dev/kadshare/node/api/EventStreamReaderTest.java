package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EventStreamReaderTest {
    private static EventStreamReader reading(String text) {
        return new EventStreamReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEventsSkippingCommentsAndBlocksWithoutData() throws Exception {
        EventStreamReader reader = reading("retry: 1000\n\n: heartbeat\n\nid: 7\nevent: share-added\ndata: {\"a\":1}\n\n"
                + "data:first\ndata: second\n\nid: 9\n\nevent: x\n");
        assertEquals(Optional.of(new EventStreamReader.Event(OptionalLong.of(7), "share-added", "{\"a\":1}")),
                reader.next());
        assertEquals(Optional.of(new EventStreamReader.Event(OptionalLong.empty(), "message", "first\nsecond")),
                reader.next());
        assertEquals(Optional.empty(), reader.next(), "an event cut off by the end of the stream is not one");
    }

    @Test
    void anIdThatIsNoNumberIsABrokenStream() {
        assertThrows(IOException.class, () -> reading("id: x\ndata: 1\n\n").next());
    }
}
