package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import dev.kadshare.node.stream.ContentReader;
import dev.kadshare.node.stream.MediaTypes;
import dev.kadshare.node.stream.RangeRequest;
import dev.kadshare.node.stream.StreamSource;
import dev.kadshare.node.stream.StreamedFile;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@code GET /v1/transfers/{id}/content} answers: each written by a thread of its own, since it may wait
 * for chunks as long as the download takes, so a player never holds one of the API's request threads. Their number
 * is bounded (a player opens a few connections to seek).
 */
final class ContentStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContentStreams.class);
    static final int MAX_STREAMS = 16;

    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kadshare-api-content");
        t.setDaemon(true);
        return t;
    });

    /** The answer sending {@code range} of {@code file} from {@code source}; a 416 must be refused before. */
    RawAnswer answer(StreamSource source, StreamedFile file, RangeRequest range) {
        return exchange -> {
            if (!slots.tryAcquire()) {
                throw new ApiError(503, "too many content streams open (" + MAX_STREAMS + "); close one and retry");
            }
            try {
                threads.execute(() -> {
                    try (exchange) {
                        send(exchange, source, file, range);
                    } catch (IOException e) {
                        log.debug("content stream of {} to {} ended: {}", file.name(), exchange.getRemoteAddress(),
                                e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                slots.release();
                throw new ApiError(503, "the daemon is stopping");
            }
        };
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
        threads.shutdownNow();
    }
}
