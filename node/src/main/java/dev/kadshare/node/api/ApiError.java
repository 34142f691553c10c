package dev.kadshare.node.api;

/** A control-API failure with the HTTP status to answer and a message fit for a user. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
