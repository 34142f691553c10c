package dev.kadshare.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a {@code text/event-stream} answer (Server-Sent Events, as the HTML standard parses them: {@code field:
 * value} lines, a blank line ends an event, {@code :} lines are comments) one event at a time.
 */
public final class EventStreamReader implements AutoCloseable {
    /** One event: its id (empty if it had none), its name ({@code message} if none) and its data. */
    public record Event(OptionalLong id, String type, String data) {
        /** The data as JSON, as the control API sends it. */
        public JsonNode json() throws IOException {
            return JsonTrees.read(data);
        }
    }

    private final InputStream in;
    private final BufferedReader lines;

    /** Reads {@code in}; closing the reader closes it. */
    public EventStreamReader(InputStream in) {
        this.in = in;
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, waiting for it; empty once the stream ended. A broken connection is an IOException. */
    public Optional<Event> next() throws IOException {
        StringBuilder data = null;
        String type = null;
        OptionalLong id = OptionalLong.empty();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Event(id, type == null ? "message" : type, data.toString()));
                }
                type = null; // a block without data (a heartbeat, a retry) is no event
                id = OptionalLong.empty();
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(" ", colon + 1) ? 2 : 1));
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "event" -> type = value;
                case "id" -> id = parseId(value);
                default -> { } // retry, and fields a later server may add
            }
        }
        return Optional.empty();
    }

    private static OptionalLong parseId(String value) throws IOException {
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IOException("event id is not a number: " + value.replaceAll("[^\\x20-\\x7e]", "?"), e);
        }
    }

    /**
     * Ends the stream. A {@link #next} waiting on another thread fails once the daemon next writes (an event, or its
     * heartbeat every second): the chunked stream of an {@code HttpURLConnection} lets a close through only
     * between reads.
     */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
