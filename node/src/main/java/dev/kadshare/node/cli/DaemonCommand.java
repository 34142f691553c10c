package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.config.ByteRate;
import dev.kadshare.node.config.Configuration;
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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@code kadshare daemon}: runs a node in the foreground until {@code stop}, SIGTERM or Ctrl-C. Every option
 * can also come from {@code KADSHARE_<OPTION>} or the data dir's {@code config} file (see {@link Configuration}).
 */
@Parameters(commandNames = "daemon", commandDescription = "Run a node in the foreground")
final class DaemonCommand extends Command {
    @Parameter(names = "--port", description = "UDP (DHT) and TCP (transfer) port; 0 picks a free one [default 7700]")
    String port;

    @Parameter(names = "--host", description = "Address to bind [default 0.0.0.0]")
    String host;

    @Parameter(names = "--bootstrap", description = "HOST:PORT of a node to join through (repeatable); none starts a new network")
    List<String> bootstrap;

    @Parameter(names = "--max-upload-rate", description = "Upload limit in bytes/s (K, M, G suffixes; 0 = unlimited)")
    String maxUploadRate;

    @Parameter(names = "--max-download-rate", description = "Download limit in bytes/s (K, M, G suffixes; 0 = unlimited)")
    String maxDownloadRate;

    @Parameter(names = "--log-level", description = "error, warn, info, debug or trace [default info]")
    String logLevel;

    @Override
    public int run(PrintStream out) throws Exception {
        DataDir dataDir = dataDir();
        Configuration config = Configuration.load(dataDir, System.getenv());
        int portNumber = setting(config, "port", port, Integer::parseInt).orElse(NodeConfig.DEFAULT_PORT);
        if (portNumber < 0 || portNumber > 65535) {
            throw new UsageError("port must be 0-65535, got " + portNumber);
        }
        String bindHost = config.value("host", host).orElse("0.0.0.0");
        List<InetSocketAddress> seeds = new ArrayList<>();
        String seedList = config.value("bootstrap", bootstrap == null ? null : String.join(",", bootstrap)).orElse("");
        for (String seed : seedList.split(",")) {
            if (!seed.isBlank()) {
                seeds.add(setting(config, "bootstrap", seed.trim(), HostPort::parse).orElseThrow());
            }
        }
        NodeConfig.RateLimits limits = new NodeConfig.RateLimits(
                setting(config, "max-upload-rate", maxUploadRate, ByteRate::parse).orElse(0L),
                setting(config, "max-download-rate", maxDownloadRate, ByteRate::parse).orElse(0L));

        Files.createDirectories(dataDir.root());
        Logging.level(config.value("log-level", logLevel).orElse("info"));
        Logging.toFile(dataDir.logFile());
        try (FileChannel lockFile = FileChannel.open(dataDir.root().resolve("daemon.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("a daemon is already running for data dir " + dataDir.root());
            }
            return serve(dataDir, new NodeConfig(dataDir, new InetSocketAddress(bindHost, portNumber), seeds, limits), out);
        }
    }

    /** Reads a setting through {@code parse}, naming the setting in the error when its value is unusable. */
    private static <T> Optional<T> setting(Configuration config, String name, String flag, Function<String, T> parse) {
        Optional<String> value = config.value(name, flag);
        try {
            return value.map(parse);
        } catch (IllegalArgumentException e) {
            String reason = e instanceof NumberFormatException ? "not a number: '" + value.get() + "'" : e.getMessage();
            throw new UsageError("--" + name + ": " + reason);
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
