package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kadshare.node.Node;
import dev.kadshare.node.datadir.AtomicFiles;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP/JSON control API on 127.0.0.1. Every request must carry the data dir's token as
 * {@code Authorization: Bearer TOKEN}; the CLI finds the address and token in the data dir.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final Map<String, Boolean> STOPPING = Map.of("stopping", true);

    private final HttpServer http;
    private final ExecutorService executor;
    private final DataDir dataDir;
    private final Node node;
    private final byte[] token;
    private final Runnable onStop;

    private ControlServer(HttpServer http, ExecutorService executor, DataDir dataDir, Node node, byte[] token,
            Runnable onStop) {
        this.http = http;
        this.executor = executor;
        this.dataDir = dataDir;
        this.node = node;
        this.token = token;
        this.onStop = onStop;
    }

    /** Binds 127.0.0.1 on a free port and publishes the address (and, on first use, a token) in the data dir. */
    public static ControlServer start(DataDir dataDir, Node node, Runnable onStop) throws IOException {
        byte[] token = loadOrCreateToken(dataDir.apiToken());
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "kadshare-api");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        ControlServer server = new ControlServer(http, executor, dataDir, node, token, onStop);
        http.createContext("/", server::handle);
        http.start();
        AtomicFiles.write(dataDir.apiAddress(),
                ("127.0.0.1:" + http.getAddress().getPort() + "\n").getBytes(StandardCharsets.US_ASCII), false);
        return server;
    }

    private static byte[] loadOrCreateToken(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim().getBytes(StandardCharsets.US_ASCII);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String hex = HexFormat.of().formatHex(random);
        AtomicFiles.write(file, (hex + "\n").getBytes(StandardCharsets.US_ASCII), true);
        return hex.getBytes(StandardCharsets.US_ASCII);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean stopping = false;
        try (exchange) {
            Object result;
            int status = 200;
            try {
                authorize(exchange);
                result = route(exchange);
                stopping = result == STOPPING;
            } catch (ApiError e) {
                status = e.status();
                result = Map.of("error", e.getMessage());
            } catch (java.util.NoSuchElementException e) {
                status = 404;
                result = Map.of("error", e.getMessage());
            } catch (IllegalArgumentException e) {
                status = 400;
                result = Map.of("error", e.getMessage());
            } catch (CompletionException e) {
                status = 400;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                result = Map.of("error", message(cause));
            } catch (RuntimeException e) {
                log.warn("control request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                result = Map.of("error", message(e));
            }
            byte[] body = Json.MAPPER.writeValueAsBytes(result);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
        if (stopping) {
            // Only once the answer is out: the caller wants to know its request arrived.
            new Thread(onStop, "kadshare-stop").start();
        }
    }

    private static String message(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof java.io.UncheckedIOException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private void authorize(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiError(401, "missing or wrong API token (see " + dataDir.apiToken() + ")");
        }
    }

    private Object route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("GET") && path.equals("/v1/status")) {
            return node.status();
        }
        if (method.equals("POST") && path.equals("/v1/shares")) {
            Requests.Share share = body(exchange, Requests.Share.class);
            if (share.path() == null) {
                throw new ApiError(400, "missing 'path'");
            }
            Path file = Path.of(share.path());
            if (!Files.isReadable(file) || !(Files.isRegularFile(file) || Files.isDirectory(file))) {
                throw new ApiError(400, "cannot read " + file);
            }
            return node.share(file, java.util.Optional.ofNullable(share.name())).join();
        }
        if (method.equals("POST") && path.equals("/v1/transfers")) {
            Requests.Get get = body(exchange, Requests.Get.class);
            MagnetLink link;
            try {
                link = MagnetLink.parse(get.link());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, e.getMessage());
            }
            Path out = get.outDir() == null ? dataDir.downloads() : Path.of(get.outDir());
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new ApiError(400, "cannot create output directory " + out + ": " + e.getMessage());
            }
            try {
                return node.get(link, out).status();
            } catch (IllegalArgumentException e) {
                throw new ApiError(409, e.getMessage());
            }
        }
        if (path.startsWith("/v1/transfers/")) {
            String[] parts = path.substring("/v1/transfers/".length()).split("/");
            String id = node.resolveId(parts[0]);
            if (method.equals("GET") && parts.length == 1) {
                return node.transfer(id).orElseThrow(() -> new ApiError(404, "no transfer " + parts[0]));
            }
            if (method.equals("POST") && parts.length == 2 && parts[1].equals("pause")) {
                return node.pause(id);
            }
            if (method.equals("POST") && parts.length == 2 && parts[1].equals("resume")) {
                return node.resume(id);
            }
        }
        if (method.equals("DELETE") && path.startsWith("/v1/content/")) {
            String id = node.resolveId(path.substring("/v1/content/".length()));
            boolean deleteData = "deleteData=true".equals(exchange.getRequestURI().getQuery());
            node.remove(id, deleteData);
            return Map.of("removed", id, "dataDeleted", deleteData);
        }
        if (method.equals("GET") && path.equals("/v1/search")) {
            String query = java.net.URLDecoder.decode(String.valueOf(exchange.getRequestURI().getRawQuery())
                    .replaceFirst("^q=", ""), StandardCharsets.UTF_8);
            return Map.of("query", query, "results", node.search(query).join());
        }
        if (method.equals("GET") && path.equals("/v1/peers")) {
            return node.peers();
        }
        if (method.equals("POST") && path.equals("/v1/stop")) {
            return STOPPING;
        }
        throw new ApiError(404, "no endpoint " + method + " " + path);
    }

    private static <T> T body(HttpExchange exchange, Class<T> type) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiError(413, "request body over " + MAX_BODY + " bytes");
            }
            return Requests.read(bytes, type);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dataDir.apiAddress());
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dataDir.apiAddress(), e.toString());
        }
        http.stop(0);
        executor.shutdownNow();
    }
}
