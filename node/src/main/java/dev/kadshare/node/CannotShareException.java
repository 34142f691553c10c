package dev.kadshare.node;

import java.io.IOException;
import java.nio.file.Path;

/** What was to be shared could not be read and hashed (gone, unreadable, changed while hashing). */
public final class CannotShareException extends RuntimeException {
    public CannotShareException(Path path, IOException cause) {
        super("cannot share " + path + ": " + cause.getMessage(), cause);
    }
}
