package dev.kadshare.node.api;

import java.util.Map;

/**
 * A control-API failure whose cause is known where it is thrown: the HTTP status to answer, a message fit for
 * a user, and any headers the answer needs (such as {@code Allow} with a 405).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    public ApiError(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
