package dev.kadshare.node.api;

import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;

/** The lock a running daemon holds on {@code daemon.lock} in its data dir, as the CLI sees it. */
final class DaemonLock {
    private DaemonLock() {
    }

    /**
     * Whether no daemon holds the lock of {@code dataDir}: its file is there and can be locked. False where that
     * cannot be told (no lock file, as before daemons made one; no right to open it): then the address decides.
     */
    static boolean isFree(DataDir dataDir) {
        try (FileChannel file = FileChannel.open(dataDir.daemonLock(), StandardOpenOption.WRITE);
             FileLock lock = file.tryLock()) {
            return lock != null;
        } catch (OverlappingFileLockException | IOException e) {
            return false; // held in this very JVM; or no lock file, or none we may open
        }
    }
}
