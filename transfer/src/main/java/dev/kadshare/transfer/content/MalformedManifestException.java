package dev.kadshare.transfer.content;

/** Bytes that are not a valid canonical manifest. */
public final class MalformedManifestException extends Exception {
    public MalformedManifestException(String message) {
        super(message);
    }

    public MalformedManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
