package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.HostPort;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code kadshare daemon}: runs a node in the foreground until {@code stop}, SIGTERM or Ctrl-C. */
@Parameters(commandNames = "daemon", commandDescription = "Run a node in the foreground")
final class DaemonCommand extends Command {
    @Parameter(names = "--port", description = "UDP (DHT) and TCP (transfer) port; 0 picks a free one")
    int port = NodeConfig.DEFAULT_PORT;

    @Parameter(names = "--host", description = "Address to bind")
    String host = "0.0.0.0";

    @Parameter(names = "--bootstrap", description = "HOST:PORT of a node to join through (repeatable); none starts a new network")
    List<String> bootstrap = new ArrayList<>();

    @Parameter(names = "--log-level", description = "error, warn, info, debug or trace")
    String logLevel = "info";

    @Override
    public int run(PrintStream out) throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageError("--port must be 0-65535, got " + port);
        }
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (String seed : bootstrap) {
            try {
                seeds.add(HostPort.parse(seed));
            } catch (IllegalArgumentException e) {
                throw new UsageError("--bootstrap: " + e.getMessage());
            }
        }
        DataDir dataDir = dataDir();
        Files.createDirectories(dataDir.root());
        Logging.level(logLevel);
        Logging.toFile(dataDir.logFile());
        try (FileChannel lockFile = FileChannel.open(dataDir.root().resolve("daemon.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("a daemon is already running for data dir " + dataDir.root());
            }
            return serve(dataDir, new NodeConfig(dataDir, new InetSocketAddress(host, port), seeds), out);
        }
    }

    private static int serve(DataDir dataDir, NodeConfig config, PrintStream out) throws IOException {
        Node node;
        try {
            node = Node.start(config);
        } catch (BindException e) {
            throw new IOException("port " + config.bind().getPort() + " is already in use (" + e.getMessage() + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        ControlServer[] control = new ControlServer[1];
        Runnable shutdown = () -> {
            if (closing.compareAndSet(false, true)) {
                node.close();
                // Last, so that the address file disappears only once the node is really down.
                if (control[0] != null) {
                    control[0].close();
                }
                stopped.countDown();
            }
        };
        control[0] = ControlServer.start(dataDir, node, shutdown);
        Thread hook = new Thread(shutdown, "kadshare-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("kadshare daemon: node " + node.id().toHex() + " on port " + node.port()
                + " (udp+tcp), data dir " + dataDir.root());
        out.flush();
        Uninterruptibles.awaitUninterruptibly(stopped);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down because of a signal: the hook itself is what stopped us.
        }
        out.println("kadshare daemon: stopped");
        return 0;
    }
}
