package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.file.Path;

/** Tells whether a directory's file system ignores the case of names (injectable, so tests can pretend). */
@FunctionalInterface
public interface CaseProbe {
    boolean ignoresCase(Path dir) throws IOException;

    /** Asks the file system itself, by creating a file in {@code dir} and looking it up in another case. */
    static CaseProbe probing() {
        return OutputDirectory::ignoresCase;
    }
}
