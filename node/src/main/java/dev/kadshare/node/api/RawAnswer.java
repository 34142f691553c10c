package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * An answer that is not JSON (metrics, file content): it writes its own status, headers and body, and closes the
 * exchange once done, maybe from a thread of its own. An {@link ApiError} it throws before it writes anything is
 * answered as JSON, as any other.
 */
@FunctionalInterface
interface RawAnswer {
    void send(HttpExchange exchange) throws IOException;
}
