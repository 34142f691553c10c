package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/** Checks that a download's output directory is one it can write in, saying in words why not. */
public final class OutputDirectory {
    private OutputDirectory() {}

    /**
     * Creates {@code dir} if it is missing and proves it writable by creating (and deleting) a file in it: the
     * permission bits alone say nothing to root, nor of a read-only mount or an immutable directory.
     */
    public static void prepare(Path dir) throws StoreFailure {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreFailure("output directory " + dir + " does not exist and cannot be created: "
                    + StoreFailure.reason(e), e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".kadshare-probe-", ".tmp"));
        } catch (IOException e) {
            throw new StoreFailure("output directory " + dir + " is not writable: " + StoreFailure.reason(e), e);
        }
    }

    /** Whether the file system of {@code dir} finds a name written in upper case when asked in lower case. */
    static boolean ignoresCase(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".kadshare-CASE-", ".tmp");
        try {
            String name = probe.getFileName().toString();
            return Files.exists(dir.resolve(name.toLowerCase(Locale.ROOT)), LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Fails unless the file system of {@code dir} has {@code needed} bytes free for this user. */
    static void requireSpace(Path dir, long needed, String what) throws StoreFailure {
        long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return; // cannot tell: writing will say so if there is no room
        }
        if (usable < needed) {
            throw new StoreFailure("not enough space in " + dir + ": " + what + " needs " + mib(needed) + ", "
                    + mib(usable) + " free");
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
