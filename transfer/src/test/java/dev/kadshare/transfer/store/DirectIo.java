package dev.kadshare.transfer.store;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** For tests: whether a directory's file system opens files with O_DIRECT, as the store and serving ask it to. */
public final class DirectIo {
    private DirectIo() {
    }

    /** Opens a throwaway file in {@code dir} with O_DIRECT; false where the file system refuses (tmpfs, some FUSE). */
    public static boolean supported(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, "direct-probe", ".bin");
        try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }
}
