package dev.kadshare.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real disk trouble for a test, made with root's tools: a tmpfs of a given size mounted for one test (read-only
 * if asked), unmounted on close even when the test failed, and the immutable flag ({@code chattr +i}). Without
 * root the test is skipped, saying why.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Skips the calling test unless it runs as root, which mounting and chattr need. */
    public static void assumeRoot(String why) {
        assumeTrue("root".equals(System.getProperty("user.name")), why + " needs root");
    }

    /** Mounts a tmpfs of {@code size} ({@code 1m}, {@code 4m}) at {@code mountPoint}, created if missing. */
    public static Tmpfs mount(Path mountPoint, String size) throws IOException, InterruptedException {
        assumeRoot("mounting a tmpfs");
        Files.createDirectories(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        return new Tmpfs(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Remounts it read-only: every write fails with EROFS, root's included. Unmounts it if that fails. */
    public Tmpfs readOnly() throws IOException, InterruptedException {
        try {
            run("mount", "-o", "remount,ro", mountPoint.toString());
        } catch (IOException | InterruptedException e) {
            close(); // the caller's try-with-resources never got hold of it
            throw e;
        }
        return this;
    }

    /** Sets or clears the immutable flag of {@code path}: no entry in it can be added, removed or renamed. */
    public static void immutable(Path path, boolean on) throws IOException, InterruptedException {
        assumeRoot("chattr +i");
        run("chattr", on ? "+i" : "-i", path.toString());
    }

    /** Fills the file system of {@code dir} up with one file: every write after it fails with ENOSPC. */
    public static void fill(Path dir) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(dir.resolve("filler"))) {
            for (int i = 0; i < 1 << 16; i++) { // bounded: 4 GiB, far more than any test's tmpfs
                out.write(block);
            }
        } catch (IOException full) {
            return; // full: what was asked for
        }
        throw new IllegalStateException(dir + " did not fill up");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", mountPoint.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 30 s");
        }
        output = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output.strip());
        }
    }
}
