package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A FAT file system (case-insensitive, no hard links) mounted through FUSE for one test, unmounted on close.
 * Needs root and Debian's {@code fusefat} and {@code dosfstools}; without them the test is skipped, saying why.
 */
final class FatMount implements AutoCloseable {
    private final Path mountPoint;

    private FatMount(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static FatMount at(Path dir) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a FAT file system needs root");
        assumeTrue(onPath("fusefat") && onPath("mkfs.vfat"),
                "needs Debian's fusefat and dosfstools (apt-get install fusefat dosfstools)");
        Path image = dir.resolve("fat.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        Path mountPoint = Files.createDirectories(dir.resolve("fat"));
        MountCommand.run("mkfs.vfat", image.toString());
        MountCommand.run("fusefat", "-o", "rw+", image.toString(), mountPoint.toString());
        return new FatMount(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        MountCommand.run("fusermount", "-u", mountPoint.toString());
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
