package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;

/**
 * An answer to a request that asks to close its connection says {@code Connection: close} too (RFC 9112, 9.6).
 *
 * <p>The JDK's server closes such a connection once the answer is out, but its answer does not say so, and
 * HttpURLConnection (the CLI's client) judges from the answer alone: it kept the connection as reusable and could send
 * its next request to this daemon on it after the server had closed it, which the kernel answers with a reset. It sends
 * a GET again by itself; a streamed POST it cannot, and the command failed with "Connection reset".
 */
final class ConnectionClose {
    private ConnectionClose() {}

    /** Says {@code Connection: close} in {@code exchange}'s answer if its request carries the {@code close} option. */
    static void echo(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Connection");
        if (values != null && values.stream().anyMatch(ConnectionClose::hasClose)) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Whether a {@code Connection} header's comma-separated options include {@code close}, in any case. */
    private static boolean hasClose(String value) {
        for (String option : value.split(",", -1)) {
            if (option.trim().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }
}
