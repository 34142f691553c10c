package dev.kadshare.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.OptionalLong;

/** The CLI's side of the control API: finds the daemon through the data dir and speaks JSON to it. */
public final class ControlClient {
    private final DataDir dataDir;
    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ControlClient(DataDir dataDir, URI base, String token) {
        this.dataDir = dataDir;
        this.base = base;
        this.token = token;
    }

    /** Connects to the daemon of {@code dataDir}, or fails with a message saying none is running there. */
    public static ControlClient connect(DataDir dataDir) {
        try {
            String address = Files.readString(dataDir.apiAddress()).trim();
            String token = Files.readString(dataDir.apiToken()).trim();
            return new ControlClient(dataDir, URI.create("http://" + address), token);
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
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    public JsonNode post(String path, Object body) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /**
     * Opens the daemon's event stream ({@code GET /v1/events}), from now on, or from after {@code lastEventId}. Fails
     * as the other requests do: an {@link ApiError} with the daemon's message or why it cannot be reached.
     */
    public EventStreamReader events(OptionalLong lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/events")).GET()
                .header("Accept", "text/event-stream");
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", Long.toString(id)));
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw error(response.statusCode(), body.readNBytes(64 * 1024));
            } catch (IOException e) {
                throw new ApiError(response.statusCode(), "HTTP " + response.statusCode());
            }
        }
        return new EventStreamReader(response.body());
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.header("Authorization", "Bearer " + token).build(), body);
        } catch (ConnectException e) {
            throw noDaemon(dataDir);
        } catch (IOException e) {
            throw new ApiError(0, "lost the connection to the daemon: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(0, "interrupted");
        }
    }

    /** The daemon's {@code {"error": ...}} answer with a status other than 200, as an exception. */
    private static ApiError error(int status, byte[] body) {
        try {
            return new ApiError(status, Json.MAPPER.readTree(body).path("error").asText("HTTP " + status));
        } catch (IOException e) {
            return new ApiError(status, "daemon sent a malformed answer (HTTP " + status + ")");
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new ApiError(response.statusCode(), "daemon sent a malformed answer (HTTP " + response.statusCode() + ")");
        }
        if (response.statusCode() != 200) {
            String message = body.path("error").asText("HTTP " + response.statusCode());
            throw new ApiError(response.statusCode(), message);
        }
        return body;
    }
}
