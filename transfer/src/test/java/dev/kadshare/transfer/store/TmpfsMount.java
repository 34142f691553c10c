package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small file system (tmpfs of a given size) mounted for one test, unmounted on close: a disk that fills up.
 * Needs root; without it the test is skipped, saying why.
 */
final class TmpfsMount implements AutoCloseable {
    private final Path mountPoint;

    private TmpfsMount(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static TmpfsMount at(Path dir, int kibibytes) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mountPoint = Files.createDirectories(dir.resolve("small"));
        MountCommand.run("mount", "-t", "tmpfs", "-o", "size=" + kibibytes + "k", "tmpfs", mountPoint.toString());
        return new TmpfsMount(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** Detaches it even while a file on it is still open (a failing test may leave one): no mount outlives the test. */
    @Override
    public void close() throws IOException, InterruptedException {
        MountCommand.run("umount", "--lazy", mountPoint.toString());
    }
}
