package dev.kadshare.node.api;

import com.google.common.hash.Hashing;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page's static files (one HTML page, one JS module, one style sheet, an icon), read once from the class
 * path and served at {@code /} without the token: they hold no secret, and the page asks for the token itself. Each
 * answer carries a strict Content-Security-Policy (only this origin's script and style, nothing inline, nothing
 * from elsewhere) and an ETag with {@code no-cache}, so a browser revalidates and never runs an older daemon's page.
 */
final class WebPage {
    /** Only this origin, nothing inline, no plugins, no framing, no forms posted anywhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";
    private static final String FOLDER = "/dev/kadshare/node/web/";

    /** One file as served: its type, its bytes and their ETag. */
    private record File(String contentType, byte[] bytes, String etag) {}

    private final Map<String, File> byPath;

    private WebPage(Map<String, File> byPath) {
        this.byPath = byPath;
    }

    /** Reads the page's files from the class path; a missing one is a broken build, so it fails at once. */
    static WebPage load() {
        return new WebPage(Map.of(
                "/", read("index.html", "text/html; charset=utf-8"),
                "/app.js", read("app.js", "text/javascript; charset=utf-8"),
                "/app.css", read("app.css", "text/css; charset=utf-8"),
                "/icon.svg", read("icon.svg", "image/svg+xml")));
    }

    private static File read(String name, String contentType) {
        try (InputStream in = WebPage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the web page's " + name + " is not on the class path");
            }
            byte[] bytes = in.readAllBytes();
            return new File(contentType, bytes, "\"" + Hashing.sha256().hashBytes(bytes).toString().substring(0, 32)
                    + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code path} is one of the page's files (then {@link #serve} answers it, token or not). */
    boolean serves(String path) {
        return byPath.containsKey(path);
    }

    /** Answers a request for one of the page's files: GET or HEAD, 304 when the browser's copy is current. */
    void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new ApiError(405, exchange.getRequestURI().getPath() + " takes GET, HEAD, not " + method,
                    Map.of("Allow", "GET, HEAD"));
        }
        File file = byPath.get(exchange.getRequestURI().getPath());
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", file.contentType());
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-cache");
        headers.set("ETag", file.etag());
        if (file.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
        } else if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
        } else {
            exchange.sendResponseHeaders(200, file.bytes().length);
            exchange.getResponseBody().write(file.bytes());
        }
    }
}
