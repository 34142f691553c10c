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
final class ContentStreams implements AutoCloseable {
    static final int MAX_STREAMS = 16;

    private final AnswerThreads threads = new AnswerThreads("content streams", MAX_STREAMS, "kadshare-api-content");

    /** The answer sending {@code range} of {@code file} from {@code source}; a 416 must be refused before. */
    RawAnswer answer(StreamSource source, StreamedFile file, RangeRequest range) {
        return exchange -> threads.start(exchange, ex -> send(ex, source, file, range));
    }

    private static void send(HttpExchange exchange, StreamSource source, StreamedFile file, RangeRequest range)
            throws IOException, InterruptedException {
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
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        ContentReader.copy(source, file, first, last, exchange.getResponseBody());
    }

    /** Ends every stream's thread (the server closes their connections). */
    @Override
    public void close() {
        threads.close();
    }
}
