package dev.kadshare.node.api;

import com.google.common.base.Throwables;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kadshare.node.AlreadyDownloadingException;
import dev.kadshare.node.CannotShareException;
import dev.kadshare.node.IdMatch;
import dev.kadshare.node.Node;
import dev.kadshare.node.datadir.AtomicFiles;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.search.SearchQuery;
import dev.kadshare.node.search.SearchResult;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.swarm.ChunkOrder;
import com.google.common.net.UrlEscapers;
import dev.kadshare.node.metrics.NodeMetrics;
import dev.kadshare.node.stream.MediaTypes;
import dev.kadshare.node.stream.RangeRequest;
import dev.kadshare.node.stream.StreamKeys;
import dev.kadshare.node.stream.StreamSource;
import dev.kadshare.node.stream.StreamedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP/JSON control API on 127.0.0.1. Every request must name a loopback host in its Host header
 * ({@link HostCheck}) and carry the data dir's token as {@code Authorization: Bearer TOKEN}; the CLI finds the
 * address and token in the data dir. {@code GET /v1/events} streams the node's events ({@link EventStreams}); the
 * web page's files ({@link WebPage}) are served at {@code /} without the token.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** A token kept in the data dir shorter than this is replaced: 32 hex digits are 128 bits. */
    private static final int MIN_TOKEN_LENGTH = 32;
    private static final Map<String, Boolean> STOPPING = Map.of("stopping", true);
    /**
     * Seconds a request may take to arrive whole, head and body. The JDK's server reads it on one of the API's four
     * threads: four clients that sent a byte and then nothing held them all, and every later request waited for ever.
     */
    static final int REQUEST_DEADLINE_SECONDS = 5;
    private static final SecureRandom ERROR_IDS = new SecureRandom();

    private final HttpServer http;
    private final ExecutorService executor;
    private final DataDir dataDir;
    private final Node node;
    private final byte[] token;
    private final Runnable onStop;
    private static final PathPattern CONTENT = PathPattern.of("/v1/transfers/{id}/content");
    private static final PathPattern CONTENT_FILE = PathPattern.of("/v1/transfers/{id}/content/{path...}");

    private final Router router;
    private final HostCheck hosts;
    private final EventStreams streams;
    private final NodeMetrics metrics;
    private final MetricsAccess metricsAccess;
    private final StreamKeys streamKeys;
    private final ContentStreams contentStreams = new ContentStreams();
    private final WebPage page = WebPage.load();

    private ControlServer(HttpServer http, ExecutorService executor, DataDir dataDir, Node node, byte[] token,
            Runnable onStop, MetricsAccess metricsAccess) {
        this.http = http;
        this.executor = executor;
        this.dataDir = dataDir;
        this.node = node;
        this.token = token;
        this.onStop = onStop;
        this.metrics = NodeMetrics.of(node);
        this.metricsAccess = metricsAccess;
        this.streamKeys = new StreamKeys(token);
        this.router = routes();
        this.hosts = new HostCheck(http.getAddress().getAddress().getHostAddress());
        this.streams = new EventStreams(node.events().log());
    }

    /** Binds 127.0.0.1 on a free port and publishes the address (and, on first use, a token) in the data dir. */
    public static ControlServer start(DataDir dataDir, Node node, Runnable onStop) throws IOException {
        return start(dataDir, node, onStop, MetricsAccess.TOKEN);
    }

    /** As {@link #start(DataDir, Node, Runnable)}, with {@code GET /metrics} readable as {@code metricsAccess} says. */
    public static ControlServer start(DataDir dataDir, Node node, Runnable onStop, MetricsAccess metricsAccess)
            throws IOException {
        byte[] token = loadOrCreateToken(dataDir.apiToken());
        // Read once, when the JVM's first server is made; a deadline the user set for the JVM stands.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_DEADLINE_SECONDS));
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "kadshare-api");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        ControlServer server = new ControlServer(http, executor, dataDir, node, token, onStop, metricsAccess);
        http.createContext("/", server::handle);
        http.start();
        executor.execute(ControlServer::prepareJson);
        AtomicFiles.write(dataDir.apiAddress(),
                ("127.0.0.1:" + http.getAddress().getPort() + "\n").getBytes(StandardCharsets.US_ASCII), true);
        return server;
    }

    /**
     * Has Jackson build its reader of a download's request and its writer of the answer before anyone asks: on a fresh
     * JVM building them took about 50 ms of a daemon's first {@code POST /v1/transfers}.
     */
    private static void prepareJson() {
        Requests.read("{\"link\": \"\", \"outDir\": \"\"}".getBytes(StandardCharsets.UTF_8), Requests.Get.class);
        try {
            Json.MAPPER.writeValueAsBytes(new TransferStatus("", "", 0, TransferState.SEARCHING, null, null, null, null, 0,
                    0, 0, 0, 0, 0, null, null, null, List.of()));
        } catch (IOException e) {
            throw new IllegalStateException("a transfer's status must serialize", e);
        }
    }

    /**
     * The token in {@code file}; a new one if there is none, or if what is there is too short to be one (emptied by
     * hand, say): a short token would be guessed, an empty one matched by a request that sends none.
     */
    private static byte[] loadOrCreateToken(Path file) throws IOException {
        if (Files.exists(file)) {
            String kept = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).trim();
            if (kept.length() >= MIN_TOKEN_LENGTH && kept.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                return kept.getBytes(StandardCharsets.US_ASCII);
            }
            log.warn("{} holds no usable API token (at least {} printable ASCII characters); writing a new one", file,
                    MIN_TOKEN_LENGTH);
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

    /** The endpoints; the README's table of them is kept in step with this one. */
    private Router routes() {
        return new Router()
                .add("GET", "/v1/status", r -> node.status())
                .add("GET", "/v1/shares", r -> Map.of("shares", node.shares()))
                .add("POST", "/v1/shares", this::share)
                .add("GET", "/v1/transfers", r -> Map.of("transfers", node.transfers()))
                .add("POST", "/v1/transfers", this::download)
                .add("GET", "/v1/transfers/{id}", onTransfer(node::transfer))
                .add("POST", "/v1/transfers/{id}/pause", onTransfer(node::pause))
                .add("POST", "/v1/transfers/{id}/resume", onTransfer(node::resume))
                .add("DELETE", "/v1/content/{id}", this::remove)
                .add("GET", "/v1/search", this::search)
                .add("GET", "/v1/peers", r -> node.peers())
                .add("GET", "/v1/events", EventStreams::startOf)
                .add("POST", "/v1/stop", r -> STOPPING)
                .add("GET", "/metrics", r -> (RawAnswer) this::sendMetrics)
                .add("GET", "/v1/transfers/{id}/stream", this::streamUrls)
                .add("GET", CONTENT.pattern(), r -> content(r, Optional.empty(), false))
                .add("GET", CONTENT_FILE.pattern(), r -> content(r, Optional.of(r.pathValue("path")), false))
                .add("HEAD", CONTENT.pattern(), r -> content(r, Optional.empty(), true))
                .add("HEAD", CONTENT_FILE.pattern(), r -> content(r, Optional.of(r.pathValue("path")), true));
    }

    /** A handler for {@code /v1/transfers/{id}...}: what {@code action} makes of the transfer, or a 404. */
    private Router.Handler onTransfer(Function<String, Optional<TransferStatus>> action) {
        return r -> action.apply(resolve(r.pathValue("id"))).orElseThrow(() -> noTransfer(r.pathValue("id")));
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean stopping = false;
        boolean streaming = false;
        ConnectionClose.echo(exchange); // before any answer starts, whichever part of the API answers
        try {
            Object result;
            int status = 200;
            try {
                // The Host first: a rebinding page learns nothing, not even whether its token guess was right.
                hosts.check(exchange.getRequestHeaders().getFirst("Host"));
                if (page.serves(exchange.getRequestURI().getPath())) {
                    page.serve(exchange); // the page holds no secret: it asks for the token itself
                    return;
                }
                if (!isPublic(exchange)) {
                    authorize(exchange);
                }
                result = route(exchange);
                if (result instanceof RawAnswer raw) {
                    raw.send(exchange);
                    streaming = true; // it closed the exchange, or a thread of its own will
                    return;
                }
                stopping = result == STOPPING;
                if (result instanceof EventStreams.Start start) {
                    streams.open(exchange, start);
                    streaming = true; // the stream's thread answers and closes the exchange
                    return;
                }
                if (result instanceof CompletableFuture<?> later) {
                    // Long work (hashing a share, a search) is answered when it ends: four shares of large files
                    // held all four of the API's threads, and status, stop and the page waited for the hashing.
                    // answerLater catches what it meets: nothing is left for the stage it returns to carry
                    var unused = later.whenCompleteAsync((value, failure) -> answerLater(exchange, value, failure),
                            executor);
                    streaming = true; // answered, and closed, then
                    return;
                }
            } catch (IOException | RuntimeException e) {
                Answer failed = failed(exchange, e);
                status = failed.status();
                result = failed.body();
            }
            send(exchange, status, result);
        } finally {
            if (!streaming) {
                exchange.close();
            }
        }
        if (stopping) {
            // Only once the answer is out: the caller wants to know its request arrived.
            new Thread(onStop, "kadshare-stop").start();
        }
    }

    /** An answer's status and what goes in its JSON body. */
    private record Answer(int status, Object body) {
    }

    /** The answer to a request that failed: an {@link ApiError}'s status and message, else a 500 with an id to log. */
    private Answer failed(HttpExchange exchange, Throwable e) {
        if (e instanceof ApiError api) {
            api.headers().forEach(exchange.getResponseHeaders()::set);
            return new Answer(api.status(), Map.of("error", api.getMessage()));
        }
        // Not an error anyone foresaw: the user gets an id to find the stack trace by in the log.
        String errorId = HexFormat.of().toHexDigits(ERROR_IDS.nextInt());
        log.error("control request {} {} failed (error id {})", exchange.getRequestMethod(), exchange.getRequestURI(),
                errorId, e);
        return new Answer(500, Map.of("error", "internal error " + errorId + ": " + rootMessage(e)
                + " (the daemon's log, " + dataDir.logFile() + ", has the details)", "errorId", errorId));
    }

    private static void send(HttpExchange exchange, int status, Object result) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(result);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1); // the status and headers of the answer, never its body
        } else {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Answers a request whose work ended: with its value, or as its failure says. */
    private void answerLater(HttpExchange exchange, Object value, Throwable failure) {
        try {
            Answer answer = failure == null ? new Answer(200, value) : failed(exchange, unwrapped(failure));
            send(exchange, answer.status(), answer.body());
        } catch (IOException | RuntimeException e) {
            log.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        } finally {
            exchange.close();
        }
    }

    /** What failed, without the {@link CompletionException} a stage wrapped it in. */
    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause()
                : failure;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = Throwables.getRootCause(failure);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /**
     * True for the requests that need no token: {@code GET /metrics} when it is public, and a transfer's content (GET
     * or HEAD) with that transfer's stream key in the URL ({@link StreamKeys}: for players, which cannot send the
     * header).
     */
    private boolean isPublic(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if ("/metrics".equals(path)) {
            return "GET".equals(method) && metricsAccess == MetricsAccess.PUBLIC;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        Optional<Map<String, String>> content = CONTENT.match(path).or(() -> CONTENT_FILE.match(path));
        Optional<String> key = ApiRequest.of(exchange, Map.of()).query("key");
        if (content.isEmpty() || key.isEmpty()) {
            return false;
        }
        return node.resolveId(content.get().get("id")) instanceof IdMatch.One one
                && streamKeys.opens(one.contentId(), key.get());
    }

    /**
     * {@code GET /v1/transfers/{id}/content[/path]}: the file's bytes, a range of them, as they are verified; with
     * {@code head}, the same headers and no body.
     */
    private Object content(ApiRequest request, Optional<String> path, boolean head) {
        String id = resolve(request.pathValue("id"));
        StreamSource source = node.streamSource(id).orElseThrow(() -> noTransfer(id));
        Manifest manifest = manifestOf(source);
        StreamedFile file = StreamedFile.find(manifest, path).orElseThrow(() -> new ApiError(404, path
                .map(p -> "no file '" + p + "' in " + manifest.name()).orElse(manifest.name()
                        + " is a directory: name one of its files (GET /v1/transfers/" + id + "/stream lists them)")));
        RangeRequest range = RangeRequest.of(request.header("Range"), file.length());
        if (range instanceof RangeRequest.Unsatisfiable) {
            throw new ApiError(416, "no such range in " + file.length() + " bytes",
                    Map.of("Content-Range", "bytes */" + file.length()));
        }
        return head ? ContentStreams.headers(file, range) : contentStreams.answer(source, file, range);
    }

    /** {@code GET /v1/transfers/{id}/stream}: a URL a player can open for each file of the content. */
    private Object streamUrls(ApiRequest request) {
        String id = resolve(request.pathValue("id"));
        Manifest manifest = manifestOf(node.streamSource(id).orElseThrow(() -> noTransfer(id)));
        String base = "http://127.0.0.1:" + port() + "/v1/transfers/" + id + "/content";
        String query = "?key=" + streamKeys.keyOf(id);
        List<StreamUrl> files = manifest.isDirectory()
                ? manifest.files().stream().map(f -> new StreamUrl(f.path(), f.length(),
                        MediaTypes.of(f.path()), base + "/" + escapedPath(f.path()) + query)).toList()
                : List.of(new StreamUrl(manifest.name(), manifest.length(), MediaTypes.of(manifest.name()),
                        base + "/" + UrlEscapers.urlPathSegmentEscaper().escape(manifest.name()) + query));
        return new StreamAnswer(id, manifest.name(), files);
    }

    /** The answer to GET /v1/transfers/{id}/stream. */
    record StreamAnswer(String contentId, String name, List<StreamUrl> files) {}

    /** One file a player can open: its path in the content, size, type and URL (with the stream key). */
    record StreamUrl(String path, long size, String type, String url) {}

    private static String escapedPath(String path) {
        return String.join("/", java.util.Arrays.stream(path.split("/"))
                .map(UrlEscapers.urlPathSegmentEscaper()::escape).toList());
    }

    private static Manifest manifestOf(StreamSource source) {
        if (source instanceof StreamSource.Downloading d) {
            return d.manifest();
        }
        if (source instanceof StreamSource.Complete c) {
            return c.manifest();
        }
        throw new ApiError(503, ((StreamSource.Unavailable) source).why(), Map.of("Retry-After", "1"));
    }

    private void sendMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            metrics.write(body);
            exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
            exchange.sendResponseHeaders(200, body.size());
            body.writeTo(exchange.getResponseBody());
        }
    }

    private void authorize(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        if (given.length == 0 || !MessageDigest.isEqual(given, token)) {
            throw new ApiError(401, "missing or wrong API token (see " + dataDir.apiToken() + ")");
        }
    }

    private Object route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Router.Resolution resolution = router.resolve(method, path);
        if (resolution instanceof Router.Resolution.Found found) {
            return found.route().handler().handle(ApiRequest.of(exchange, found.pathValues()));
        }
        if (resolution instanceof Router.Resolution.WrongMethod wrong) {
            String allow = String.join(", ", wrong.allowed());
            throw new ApiError(405, path + " takes " + allow + ", not " + method, Map.of("Allow", allow));
        }
        throw new ApiError(404, "no endpoint " + path);
    }

    private Object share(ApiRequest request) throws IOException {
        Requests.Share share = request.body(Requests.Share.class);
        if (share.path() == null) {
            throw new ApiError(400, "missing 'path'");
        }
        Path file = absolute(share.path(), "path");
        if (!Files.isReadable(file) || !(Files.isRegularFile(file) || Files.isDirectory(file))) {
            throw new ApiError(400, "cannot read " + file);
        }
        if (share.name() != null) {
            try {
                Manifest.validateName(share.name());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "bad name: " + e.getMessage());
            }
        }
        return node.share(file, Optional.ofNullable(share.name())).handle((shared, failure) -> {
            if (failure == null) {
                return shared;
            }
            Throwable cause = unwrapped(failure);
            throw cause instanceof CannotShareException cannot
                    ? new ApiError(400, cannot.getMessage())
                    : new CompletionException(cause);
        });
    }

    private Object download(ApiRequest request) throws IOException {
        Requests.Get get = request.body(Requests.Get.class);
        if (get.link() == null) {
            throw new ApiError(400, "missing 'link'");
        }
        MagnetLink link;
        try {
            link = MagnetLink.parse(get.link());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
        // The node checks the directory: one it cannot create or write in is a FAILED transfer with a reason.
        Path out = get.outDir() == null ? dataDir.downloads() : absolute(get.outDir(), "outDir");
        try {
            return node.statusOf(node.get(link, out, chunkOrder(get.order())));
        } catch (AlreadyDownloadingException e) {
            throw new ApiError(409, e.getMessage());
        }
    }

    private static ChunkOrder chunkOrder(String order) {
        if (order == null) {
            return ChunkOrder.RAREST_FIRST;
        }
        for (ChunkOrder known : ChunkOrder.values()) {
            if (Transfer.orderName(known).equals(order)) {
                return known;
            }
        }
        throw new ApiError(400, "'order' must be rarest-first or sequential, not '" + order + "'");
    }

    private Object remove(ApiRequest request) throws IOException {
        boolean deleteData = request.booleanQuery("deleteData", false);
        boolean deleteOriginal = request.booleanQuery("deleteOriginal", false);
        String id = request.pathValue("id");
        return node.remove(resolve(id), deleteData, deleteOriginal).orElseThrow(() -> noContent(id));
    }

    private Object search(ApiRequest request) {
        String q = request.requiredQuery("q");
        SearchQuery query = SearchQuery.parse(q).orElseThrow(() -> new ApiError(400, SearchQuery.noWordsIn(q)));
        return node.search(query).thenApply(results -> new SearchAnswer(q, query.words(), results,
                node.routingTableSize()));
    }

    /**
     * The answer to GET /v1/search: the query, the words it was split into, the hits, and how many contacts the node
     * knew as it answered (none: no one was asked, so finding nothing says nothing of the network).
     */
    record SearchAnswer(String query, List<String> words, List<SearchResult> results, int routingTableSize) {}

    /**
     * A path from a request: it must be absolute, since the daemon's working directory is not the caller's (the
     * CLI sends absolute paths); a path the file system cannot hold (a NUL) is refused too.
     */
    private static Path absolute(String given, String field) {
        Path path;
        try {
            path = Path.of(given);
        } catch (InvalidPathException e) {
            throw new ApiError(400, "'" + field + "' is not a usable path: " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw new ApiError(400, "'" + field + "' must be an absolute path, not '" + given + "'");
        }
        return path.normalize();
    }

    /** The full id that {@code prefix} names, or the 404 or 400 saying why there is none. */
    private String resolve(String prefix) {
        IdMatch match = node.resolveId(prefix);
        if (match instanceof IdMatch.One one) {
            return one.contentId();
        }
        if (match instanceof IdMatch.Several several) {
            throw new ApiError(400, "id " + prefix + " is ambiguous: it matches " + several.count() + " contents");
        }
        throw noContent(prefix);
    }

    private static ApiError noTransfer(String id) {
        return new ApiError(404, "no transfer " + id);
    }

    private static ApiError noContent(String id) {
        return new ApiError(404, "no transfer or share with id " + id);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dataDir.apiAddress());
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dataDir.apiAddress(), e.toString());
        }
        http.stop(0); // closes every connection, the event streams' too
        streams.close();
        contentStreams.close();
        executor.shutdownNow();
    }
}
