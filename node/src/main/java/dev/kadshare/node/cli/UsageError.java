package dev.kadshare.node.cli;

/** A command given input it cannot use; reported as one line and exit code 2. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message, null, false, false);
    }
}
