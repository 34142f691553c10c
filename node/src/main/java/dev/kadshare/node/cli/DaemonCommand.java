package dev.kadshare.node.cli;

import ch.qos.logback.classic.Level;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.google.common.net.InetAddresses;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.kadshare.net.AddressScope;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.api.MetricsAccess;
import dev.kadshare.node.config.ByteRate;
import dev.kadshare.node.relay.RelaySettings;
import dev.kadshare.transfer.relay.RelayCaps;
import dev.kadshare.node.config.Configuration;
import dev.kadshare.node.config.InvalidSetting;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.discovery.LanSettings;
import dev.kadshare.node.link.HostPort;
import dev.kadshare.transfer.ConnectionLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kadshare daemon}: runs a node in the foreground until {@code stop}, SIGTERM or Ctrl-C. Every option
 * can also come from {@code KADSHARE_<OPTION>} or the data dir's {@code config} file (see {@link Configuration}).
 */
@Parameters(commandNames = "daemon", commandDescription = "Run a node in the foreground")
public final class DaemonCommand extends Command {
    @Parameter(names = "--port", description = "UDP (DHT) and TCP (transfer) port; 0 picks a free one [default 7700]")
    String port;

    @Parameter(names = "--host", description = "Address to bind [default ::, IPv4 and IPv6; 0.0.0.0 without IPv6]")
    String host;

    @Parameter(names = "--bootstrap", description = "HOST:PORT of a node to join through (repeatable); none starts a new network")
    List<String> bootstrap;

    @Parameter(names = "--external-address",
            description = "IP address others reach this node at though no interface has it, one per family (repeatable):"
                    + " a host behind a one-to-one NAT that lets traffic in, as a cloud VM with a public address")
    List<String> externalAddress;

    @Parameter(names = "--max-upload-rate", description = "Upload limit in bytes/s (K, M, G suffixes; 0 = unlimited)")
    String maxUploadRate;

    @Parameter(names = "--max-download-rate", description = "Download limit in bytes/s (K, M, G suffixes; 0 = unlimited)")
    String maxDownloadRate;

    @Parameter(names = "--max-connections", description = "Transfer connections open at once from other nodes [default 512]")
    String maxConnections;

    @Parameter(names = "--max-connections-per-ip", description = "Transfer connections open at once from one IP address [default 4]")
    String maxConnectionsPerIp;

    @Parameter(names = "--max-connections-per-content", description = "Transfer connections open at once for one content [default 200]")
    String maxConnectionsPerContent;

    @Parameter(names = "--no-lan-discovery", description = "Do not look for other nodes on the LAN by multicast")
    boolean noLanDiscovery;

    @Parameter(names = "--lan-discovery-group", description = "IPv4 multicast group of LAN discovery [default 239.192.77.71]")
    String lanDiscoveryGroup;

    @Parameter(names = "--lan-discovery-port", description = "UDP port of LAN discovery [default 7771]")
    String lanDiscoveryPort;

    @Parameter(names = "--no-relay", description = "Do not relay for nodes behind NATs, even when publicly reachable")
    boolean noRelay;

    @Parameter(names = "--relay-max-circuits", description = "Relayed pairs of nodes carried at once [default 16]")
    String relayMaxCircuits;

    @Parameter(names = "--relay-max-bytes-per-circuit",
            description = "Bytes one relayed pair may send (both ways) before its circuit is closed, e.g. 512M [default 1G]")
    String relayMaxBytesPerCircuit;

    @Parameter(names = "--relay-max-rate", description = "Bytes per second each way of one relayed pair, e.g. 2M; 0 = unlimited [default 4M]")
    String relayMaxRate;

    @Parameter(names = "--log-level", description = "error, warn, info, debug or trace [default info]")
    String logLevel;

    @Parameter(names = "--metrics-public", description = "Let GET /metrics be read without the API token")
    boolean metricsPublic;

    @Override
    public int run(PrintStream out) throws Exception {
        DataDir dataDir = dataDir();
        try {
            return start(dataDir, Configuration.load(dataDir, System.getenv()), out);
        } catch (InvalidSetting e) {
            throw new UsageError(e.getMessage());
        }
    }

    private int start(DataDir dataDir, Configuration config, PrintStream out) throws Exception {
        Map<String, String> flags = flags();
        int portNumber = config.parsed("port", flags.get("port"), DaemonCommand::port).orElse(NodeConfig.DEFAULT_PORT);
        InetAddress bindHost = config.parsed("host", flags.get("host"), DaemonCommand::bindAddress)
                .orElseGet(() -> bindAddress(defaultHost()));
        List<InetSocketAddress> seeds = config.parsed("bootstrap", flags.get("bootstrap"), DaemonCommand::seeds)
                .orElse(List.of());
        List<InetAddress> external = config.parsed("external-address", flags.get("external-address"),
                DaemonCommand::externalAddresses).orElse(List.of());
        NodeConfig.RateLimits limits = new NodeConfig.RateLimits(
                config.parsed("max-upload-rate", flags.get("max-upload-rate"), ByteRate::parse).orElse(0L),
                config.parsed("max-download-rate", flags.get("max-download-rate"), ByteRate::parse).orElse(0L));
        ConnectionLimits defaults = ConnectionLimits.defaults();
        ConnectionLimits connections = defaults
                .withMaxConnections(config.parsed("max-connections", flags.get("max-connections"),
                        DaemonCommand::atLeastOne).orElse(defaults.maxConnections()))
                .withMaxConnectionsPerIp(config.parsed("max-connections-per-ip", flags.get("max-connections-per-ip"),
                        DaemonCommand::atLeastOne).orElse(defaults.maxConnectionsPerIp()))
                .withMaxConnectionsPerContent(config.parsed("max-connections-per-content",
                        flags.get("max-connections-per-content"), DaemonCommand::atLeastOne)
                        .orElse(defaults.maxConnectionsPerContent()));
        boolean lanOff = config.parsed("no-lan-discovery", flags.get("no-lan-discovery"), DaemonCommand::bool).orElse(false);
        InetAddress lanGroup = config.parsed("lan-discovery-group", flags.get("lan-discovery-group"), LanSettings::parseGroup)
                .orElse(LanSettings.DEFAULT_GROUP.getAddress());
        int lanPort = config.parsed("lan-discovery-port", flags.get("lan-discovery-port"), DaemonCommand::discoveryPort)
                .orElse(LanSettings.DEFAULT_GROUP.getPort());
        LanSettings lan = new LanSettings(!lanOff, new InetSocketAddress(lanGroup, lanPort));
        RelayCaps relayDefaults = RelayCaps.defaults();
        RelaySettings relay = new RelaySettings(
                !config.parsed("no-relay", flags.get("no-relay"), DaemonCommand::bool).orElse(false),
                relayDefaults.withMaxCircuits(config.parsed("relay-max-circuits", flags.get("relay-max-circuits"),
                                DaemonCommand::atLeastOne).orElse(relayDefaults.maxCircuits()))
                        .withBytesPerCircuit(config.parsed("relay-max-bytes-per-circuit",
                                flags.get("relay-max-bytes-per-circuit"), DaemonCommand::atLeastOneByte)
                                .orElse(relayDefaults.bytesPerCircuit()))
                        .withBytesPerSecondPerCircuit(config.parsed("relay-max-rate", flags.get("relay-max-rate"),
                                ByteRate::parse).orElse(relayDefaults.bytesPerSecondPerCircuit())));
        Level level = config.parsed("log-level", flags.get("log-level"), Logging::parseLevel).orElse(Level.INFO);
        MetricsAccess metrics = config.parsed("metrics-public", flags.get("metrics-public"), DaemonCommand::bool)
                .orElse(false) ? MetricsAccess.PUBLIC : MetricsAccess.TOKEN;

        Files.createDirectories(dataDir.root());
        Logging.level(level);
        Logging.toFile(dataDir.logFile());
        report(config, flags);
        try (FileChannel lockFile = FileChannel.open(dataDir.daemonLock(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("a daemon is already running for data dir " + dataDir.root());
            }
            // The address a daemon that died left behind names a port anyone may have taken since: gone until ours.
            Files.deleteIfExists(dataDir.apiAddress());
            return serve(dataDir, new NodeConfig(dataDir, new InetSocketAddress(bindHost, portNumber), seeds, limits,
                    connections, lan, relay, external), metrics, out);
        }
    }

    /**
     * The daemon's logger, looked up when it logs, not held in a static field: lines that run another command
     * build this one too (help, or a leading option), and a field would start Logback there (about 0.1 s).
     */
    private static Logger log() {
        return LoggerFactory.getLogger(DaemonCommand.class);
    }

    /** Warns of every name that is no setting (a typo would otherwise be ignored in silence), and logs where each setting came from. */
    private static void report(Configuration config, Map<String, String> flags) {
        for (Configuration.Unknown u : config.unknown()) {
            List<String> known = Configuration.SETTINGS.stream()
                    .map(s -> u.source() == Configuration.Source.ENVIRONMENT ? Configuration.environmentName(s) : s)
                    .toList();
            log().warn("{}: unknown setting '{}', ignored{}", u.origin(), u.name(), Suggestions.didYouMean(u.name(), known));
        }
        for (String name : Configuration.SETTINGS) {
            Optional<Configuration.Value> value = config.value(name, flags.get(name));
            if (value.isPresent()) {
                log().debug("setting {} = {} (from {})", name, value.get().text(), value.get().origin());
            } else {
                log().trace("setting {}: not given, default used", name);
            }
        }
    }

    /** The flags given, by setting name (absent: not given). */
    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", port);
        flags.put("host", host);
        flags.put("bootstrap", bootstrap == null ? null : String.join(",", bootstrap));
        flags.put("external-address", externalAddress == null ? null : String.join(",", externalAddress));
        flags.put("max-upload-rate", maxUploadRate);
        flags.put("max-download-rate", maxDownloadRate);
        flags.put("max-connections", maxConnections);
        flags.put("max-connections-per-ip", maxConnectionsPerIp);
        flags.put("max-connections-per-content", maxConnectionsPerContent);
        flags.put("no-lan-discovery", noLanDiscovery ? "true" : null);
        flags.put("lan-discovery-group", lanDiscoveryGroup);
        flags.put("lan-discovery-port", lanDiscoveryPort);
        flags.put("no-relay", noRelay ? "true" : null);
        flags.put("relay-max-circuits", relayMaxCircuits);
        flags.put("relay-max-bytes-per-circuit", relayMaxBytesPerCircuit);
        flags.put("relay-max-rate", relayMaxRate);
        flags.put("log-level", logLevel);
        flags.put("metrics-public", metricsPublic ? "true" : null);
        return flags;
    }

    private static int port(String text) {
        int port = Integer.parseInt(text.strip());
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        return port;
    }

    /**
     * Both families where the host has IPv6 ({@code ::}, one dual-stack socket), so a node at home is reachable over
     * IPv6 with nothing to set; IPv4 only ({@code 0.0.0.0}) where it has none (IPv6 disabled in the kernel).
     */
    static String defaultHost() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress("::", 0));
            return "::";
        } catch (IOException | UnsupportedOperationException e) {
            log().debug("no IPv6 here ({}): binding 0.0.0.0", e.toString());
            return "0.0.0.0";
        }
    }

    /** The address to bind: an IP literal, or a name resolved once, here, so a bad one is a setting's error. */
    private static InetAddress bindAddress(String text) {
        try {
            return InetAddress.getByName(text.strip());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host '" + text.strip() + "'");
        }
    }

    /** Other nodes find us only on a port they know: 0 (any free one) makes no sense here. */
    private static int discoveryPort(String text) {
        int port = port(text);
        if (port == 0) {
            throw new IllegalArgumentException("port must be 1-65535, got 0");
        }
        return port;
    }

    private static boolean bool(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }

    private static int atLeastOne(String text) {
        int n = Integer.parseInt(text.strip());
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + n);
        }
        return n;
    }

    /** A byte count like 512M, at least one byte. */
    private static long atLeastOneByte(String text) {
        long n = ByteRate.parse(text);
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1 byte, got '" + text + "'");
        }
        return n;
    }

    private static List<InetSocketAddress> seeds(String list) {
        return each(list, HostPort::parse);
    }

    /** IP literals (no names: nothing is looked up), comma-separated; each one others can dial, one per family. */
    private static List<InetAddress> externalAddresses(String list) {
        return NodeConfig.onePerFamily(each(list, DaemonCommand::externalAddress));
    }

    private static InetAddress externalAddress(String text) {
        InetAddress address;
        try {
            address = InetAddresses.forString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an IP address such as 203.0.113.7, got '" + text + "'");
        }
        if (AddressScope.of(address).isUndialable() || address.isLoopbackAddress()) {
            throw new IllegalArgumentException("an external address must be one others can reach, got " + text);
        }
        return address;
    }

    /** Each item of a comma-separated {@code list}, stripped and parsed; blank items are skipped. */
    private static <T> List<T> each(String list, Function<String, T> parse) {
        List<T> items = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(parse.apply(item.strip()));
            }
        }
        return items;
    }

    private static int serve(DataDir dataDir, NodeConfig config, MetricsAccess metrics, PrintStream out)
            throws IOException {
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
        control[0] = ControlServer.start(dataDir, node, shutdown, metrics);
        node.warmUp();
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
