package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.datadir.DataDir;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** {@code kadshare stop}: asks the daemon to shut down cleanly and waits until it has. */
@Parameters(commandNames = "stop", commandDescription = "Stop the daemon")
public final class StopCommand extends Command {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    @Override
    public int run(PrintStream out) {
        DataDir dataDir = dataDir();
        ControlClient.connect(dataDir).post("/v1/stop", java.util.Map.of());
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (Files.exists(dataDir.apiAddress())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon did not stop within 15 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        out.println("stopped");
        return 0;
    }
}
