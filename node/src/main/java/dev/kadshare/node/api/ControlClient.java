package dev.kadshare.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CLI's side of the control API: finds the daemon through the data dir and speaks JSON to it.
 *
 * <p>Over {@link HttpURLConnection}, one connection per request, not {@code java.net.http.HttpClient}: that client
 * leaves its selector thread blocked in native code, and the JVM's exit waits up to 300 ms for such a thread, on top
 * of the 400 ms its classes take to load; every command paid both.
 */
public final class ControlClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /**
     * How long an answer may keep the CLI waiting, between any two bytes of it: a stopped or wedged daemon still has
     * its connections accepted by the kernel, and a script's {@code status} must not hang on it for ever. Every
     * answer but a share's comes within seconds (searches give up after theirs, the event stream sends a heartbeat
     * every second); a share answers when its file is hashed, however long that takes.
     */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final DataDir dataDir;
    private final URI base;
    private final String token;
    private final Duration answerTimeout;

    private ControlClient(DataDir dataDir, URI base, String token, Duration answerTimeout) {
        this.dataDir = dataDir;
        this.base = base;
        this.token = token;
        this.answerTimeout = answerTimeout;
    }

    /**
     * Connects to the daemon of {@code dataDir}, or fails with a message saying none is running there: also when the
     * address it left is stale (its lock is free: it died without cleaning up), so the token never goes to whatever
     * process took its port since.
     */
    public static ControlClient connect(DataDir dataDir) {
        return connect(dataDir, ANSWER_TIMEOUT);
    }

    /** As {@link #connect(DataDir)}, with answers awaited at most {@code answerTimeout}. */
    static ControlClient connect(DataDir dataDir, Duration answerTimeout) {
        if (DaemonLock.isFree(dataDir)) {
            throw noDaemon(dataDir);
        }
        try {
            String address = Files.readString(dataDir.apiAddress()).trim();
            String token = Files.readString(dataDir.apiToken()).trim();
            return new ControlClient(dataDir, URI.create("http://" + address), token, answerTimeout);
        } catch (NoSuchFileException e) {
            throw noDaemon(dataDir);
        } catch (IOException e) {
            throw new ApiError(0, "cannot read the daemon's address in " + dataDir.root() + ": " + e.getMessage());
        }
    }

    private static ApiError noDaemon(DataDir dataDir) {
        return new ApiError(0, "no daemon running for data dir " + dataDir.root()
                + " (start one with: kadshare daemon --data-dir " + dataDir.root() + ")");
    }

    public JsonNode get(String path) {
        return send(path, "GET", Optional.empty());
    }

    public JsonNode delete(String path) {
        return send(path, "DELETE", Optional.empty());
    }

    /** POSTs {@code request} as its JSON object. */
    public JsonNode post(String path, Record request) {
        return send(path, "POST", Optional.of(JsonTrees.body(request)));
    }

    /** POSTs {@code request} and waits for its answer however long the work takes (a share: its file's hashing). */
    public JsonNode postWithoutTimeout(String path, Record request) {
        return send(open(path, "POST", Duration.ZERO), Optional.of(JsonTrees.body(request)));
    }

    /** POSTs a JSON object of {@code fields}. */
    public JsonNode post(String path, Map<String, String> fields) {
        return send(path, "POST", Optional.of(JsonTrees.body(fields)));
    }

    /**
     * Opens the daemon's event stream ({@code GET /v1/events}), from now on, or from after {@code lastEventId}. Fails
     * as the other requests do: an {@link ApiError} with the daemon's message or why it cannot be reached.
     */
    public EventStreamReader events(OptionalLong lastEventId) {
        HttpURLConnection connection = open("/v1/events", "GET", answerTimeout);
        connection.setRequestProperty("Accept", "text/event-stream");
        lastEventId.ifPresent(id -> connection.setRequestProperty("Last-Event-ID", Long.toString(id)));
        try {
            int status = exchange(connection, Optional.empty());
            if (status != 200) {
                throw error(status, errorBody(connection));
            }
            // Closing an unfinished chunked answer closes its connection (Connection: close, nothing to keep).
            return new EventStreamReader(connection.getInputStream());
        } catch (IOException e) {
            connection.disconnect();
            throw lost(e);
        }
    }

    /** A connection for one request; {@code answerTimeout} zero waits for ever. */
    private HttpURLConnection open(String path, String method, Duration answerTimeout) {
        try {
            // No proxy: the daemon is on this host, whatever the JVM's proxy settings say.
            HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(Math.toIntExact(answerTimeout.toMillis()));
            connection.setUseCaches(false);
            // A fresh connection per request. Asking is not enough: HttpURLConnection keeps a connection for reuse
            // unless the answer says close too, as the daemon's do (ConnectionClose); it would send a later request on
            // one the daemon closed, and that reset fails a POST.
            connection.setRequestProperty("Connection", "close");
            connection.setRequestProperty("Authorization", "Bearer " + token);
            return connection;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Sends the request, with {@code body} as JSON if present; returns the answer's status. */
    private int exchange(HttpURLConnection connection, Optional<byte[]> body) throws IOException {
        if (body.isPresent()) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setFixedLengthStreamingMode(body.get().length);
        }
        try {
            connection.connect();
        } catch (ConnectException e) {
            throw noDaemon(dataDir);
        } catch (SocketTimeoutException e) { // the kernel's queue of connections to accept is full
            throw unresponsive("took no connection within " + CONNECT_TIMEOUT_MILLIS / 1000 + " s");
        }
        if (body.isPresent()) {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.get());
            }
        }
        return connection.getResponseCode();
    }

    private ApiError lost(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return unresponsive("did not answer within " + answerTimeout.toSeconds() + " s");
        }
        return new ApiError(0, "lost the connection to the daemon: " + e.getMessage());
    }

    /** A daemon that is there (its lock held, its port open) but does not serve us: {@code what} it failed to do. */
    private ApiError unresponsive(String what) {
        return new ApiError(0, "the daemon for data dir " + dataDir.root() + " " + what + " (stopped, or too busy?)");
    }

    /** The body of an answer with an error status (the daemon sends one with each), or nothing. */
    private static byte[] errorBody(HttpURLConnection connection) throws IOException {
        try (InputStream in = connection.getErrorStream()) {
            return in == null ? new byte[0] : in.readNBytes(64 * 1024);
        }
    }

    /** The daemon's {@code {"error": ...}} answer with a status other than 200, as an exception. */
    private static ApiError error(int status, byte[] body) {
        try {
            return new ApiError(status, JsonTrees.read(body).path("error").asText("HTTP " + status));
        } catch (IOException e) {
            return new ApiError(status, "daemon sent a malformed answer (HTTP " + status + ")");
        }
    }

    private JsonNode send(String path, String method, Optional<byte[]> json) {
        return send(open(path, method, answerTimeout), json);
    }

    private JsonNode send(HttpURLConnection connection, Optional<byte[]> json) {
        try {
            int status = exchange(connection, json);
            if (status != 200) {
                throw error(status, errorBody(connection));
            }
            try (InputStream in = connection.getInputStream()) {
                return JsonTrees.read(in.readAllBytes());
            } catch (JsonProcessingException e) {
                throw new ApiError(status, "daemon sent a malformed answer (HTTP " + status + ")");
            }
        } catch (IOException e) {
            throw lost(e);
        } finally {
            connection.disconnect();
        }
    }
}
