package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import dev.kadshare.node.stream.ContentReader;
import dev.kadshare.node.stream.MediaTypes;
import dev.kadshare.node.stream.RangeRequest;
import dev.kadshare.node.stream.StreamSource;
import dev.kadshare.node.stream.StreamedFile;
import java.io.IOException;

/**
 * The open {@code GET /v1/transfers/{id}/content} answers: each written by a thread of its own, since it may wait
 * for chunks as long as the download takes, so a player never holds one of the API's request threads. Their number
 * is bounded (a player opens a few connections to seek).
 */
public final class ContentStreams implements AutoCloseable {
    /** Answers streaming at once: a player opens a few connections to seek. */
    public static final int MAX_STREAMS = 16;

    private final AnswerThreads threads = new AnswerThreads("content streams", MAX_STREAMS, "kadshare-api-content");

    /** The answer sending {@code range} of {@code file} from {@code source}; a 416 must be refused before. */
    RawAnswer answer(StreamSource source, StreamedFile file, RangeRequest range) {
        return exchange -> threads.start(exchange, ex -> send(ex, source, file, range));
    }

    /** The answer to a HEAD: the headers a GET of {@code range} would have, no body; nothing to wait for. */
    static RawAnswer headers(StreamedFile file, RangeRequest range) {
        return exchange -> {
            try (exchange) {
                sendHeaders(exchange, file, range, true);
            }
        };
    }

    private static void send(HttpExchange exchange, StreamSource source, StreamedFile file, RangeRequest range)
            throws IOException, InterruptedException {
        long first = range instanceof RangeRequest.Part part ? part.first() : 0;
        long length = sendHeaders(exchange, file, range, false);
        ContentReader.copy(source, file, first, first + length - 1, exchange.getResponseBody(),
                new ClientConnection(exchange.getLocalAddress(), exchange.getRemoteAddress()));
    }

    /**
     * Sends the status and headers of the answer for {@code range}; returns the length of its body. A HEAD's
     * Content-Length is set by hand, since the server sends none for a HEAD.
     */
    private static long sendHeaders(HttpExchange exchange, StreamedFile file, RangeRequest range, boolean head)
            throws IOException {
        long first = 0;
        long last = file.length() - 1;
        int status = 200;
        if (range instanceof RangeRequest.Part part) {
            first = part.first();
            last = part.last();
            status = 206;
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + first + "-" + last + "/" + file.length());
        }
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        exchange.getResponseHeaders().set("Content-Type", MediaTypes.of(file.name()));
        // Bytes from peers, on the API's origin: never sniffed into something a browser runs.
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "sandbox; default-src 'none'");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        long length = last - first + 1;
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        }
        exchange.sendResponseHeaders(status, head || length == 0 ? -1 : length);
        return length;
    }

    /** Ends every stream's thread (the server closes their connections). */
    @Override
    public void close() {
        threads.close();
    }
}
