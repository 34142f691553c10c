package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;

/**
 * The disk refused what a download needs (the output directory, space, a free name, the move into place): the
 * download cannot go on, and trying again with other peers will not help. Its message is one line for a person.
 */
public final class StoreFailure extends IOException {
    public StoreFailure(String message) {
        super(oneLine(message));
    }

    public StoreFailure(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** The store failure behind {@code t}, if any is in its chain of causes. */
    public static Optional<StoreFailure> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StoreFailure f) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** {@code e} itself if it is a store failure, else one saying {@code what} failed and why. */
    public static StoreFailure of(String what, Throwable e) {
        return e instanceof StoreFailure f ? f : new StoreFailure(what + ": " + reason(e), e);
    }

    /** Why an I/O call failed, in words (a FileSystemException's message is often just the path). */
    static String reason(Throwable e) {
        if (isNoSpace(e)) {
            return "no space left on the device";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** ENOSPC or EDQUOT: Java says so only in the message, strerror's text. */
    static boolean isNoSpace(Throwable e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    private static String oneLine(String message) {
        StringBuilder out = new StringBuilder(message.length());
        message.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
