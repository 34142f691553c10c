package dev.kadshare.node.cli;

/** A command given input it cannot use; reported as one line and exit code 2. */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message, null, false, false);
    }
}
