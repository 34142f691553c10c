package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import dev.kadshare.node.events.EventLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The open {@code GET /v1/events} streams: each a Server-Sent Events response, chunked, written by a thread of its
 * own that waits on the node's {@link EventLog}, so a stream never holds one of the API's request threads. Their
 * number is bounded; a comment line every {@link #HEARTBEAT} finds clients that went away (the write fails), and
 * lets a client whose reader was closed on another thread see it within a second (the CLI's HTTP stream only gives
 * up a blocked read when data comes).
 */
final class EventStreams implements AutoCloseable {
    static final int MAX_STREAMS = 16;
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** How long an EventSource waits before it reconnects, told to it at the start of each stream. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** What {@code GET /v1/events} asks for: the events after {@code lastEventId}, or only those from now on. */
    record Start(OptionalLong lastEventId) {}

    /** The {@code missed} event's data: events after {@code after} are gone; the stream goes on after {@code latest}. */
    record MissedNotice(long after, long latest) {}

    private final EventLog events;
    private final AnswerThreads threads = new AnswerThreads("event streams", MAX_STREAMS, "kadshare-api-events");

    EventStreams(EventLog events) {
        this.events = events;
    }

    /** The parsed {@code Last-Event-ID} header: absent, or a 400 for one that is no id of ours. */
    static Start startOf(ApiRequest request) {
        return request.header("Last-Event-ID").filter(id -> !id.isBlank()).map(id -> {
            try {
                return new Start(OptionalLong.of(Long.parseLong(id.trim())));
            } catch (NumberFormatException e) {
                throw new ApiError(400, "Last-Event-ID must be an event id (a number), not '" + id.trim() + "'");
            }
        }).orElse(new Start(OptionalLong.empty()));
    }

    /** Takes over {@code exchange}: a 503 while {@link #MAX_STREAMS} are open, else streams until either side stops. */
    void open(HttpExchange exchange, Start start) {
        // Taken before the answer starts: a client that has the headers misses nothing after them.
        long from = events.latest();
        threads.start(exchange, ex -> stream(ex, start, from));
    }

    private void stream(HttpExchange exchange, Start start, long from) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0); // chunked, for as long as it lasts
        OutputStream out = exchange.getResponseBody();
        out.write(("retry: " + RETRY.toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        long after = start.lastEventId().orElse(from);
        EventLog.Read read = events.after(after);
        while (true) {
            if (read instanceof EventLog.Read.Closed) {
                return;
            } else if (read instanceof EventLog.Read.Missed missed) {
                write(out, missed.latest(), "missed", new MissedNotice(missed.after(), missed.latest()));
                after = missed.latest();
            } else if (read instanceof EventLog.Read.Events batch) {
                for (EventLog.Entry entry : batch.entries()) {
                    write(out, entry.id(), entry.event().type(), entry.event());
                    after = entry.id();
                }
                if (batch.entries().isEmpty()) {
                    out.write(":\n\n".getBytes(StandardCharsets.UTF_8)); // the wait timed out: a heartbeat
                }
            }
            out.flush();
            read = events.await(after, HEARTBEAT);
        }
    }

    /** One event: its id, its name and its data as one line of JSON (Jackson escapes line breaks in strings). */
    private static void write(OutputStream out, long id, String type, Object data) throws IOException {
        out.write(("id: " + id + "\nevent: " + type + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(Json.MAPPER.writeValueAsBytes(data));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Ends every stream's thread (the server closes their connections). */
    @Override
    public void close() {
        threads.close();
    }
}
