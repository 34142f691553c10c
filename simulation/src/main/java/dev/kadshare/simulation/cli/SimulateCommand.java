package dev.kadshare.simulation.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.kadshare.node.cli.Command;
import dev.kadshare.node.cli.UsageError;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.nat.NatShares;
import dev.kadshare.simulation.loopback.LoopbackCluster;
import dev.kadshare.simulation.report.Charts;
import dev.kadshare.simulation.report.CsvReport;
import dev.kadshare.simulation.report.JsonReport;
import dev.kadshare.simulation.report.Report;
import dev.kadshare.simulation.report.TableReport;
import dev.kadshare.simulation.scenario.AttackScenario;
import dev.kadshare.simulation.scenario.AttackSettings;
import dev.kadshare.simulation.scenario.ChurnScenario;
import dev.kadshare.simulation.scenario.ChurnSettings;
import dev.kadshare.simulation.scenario.LookupScenario;
import dev.kadshare.simulation.scenario.LookupSettings;
import dev.kadshare.simulation.scenario.LoopbackSwarmScenario;
import dev.kadshare.simulation.scenario.LoopbackSwarmSettings;
import dev.kadshare.simulation.scenario.NatScenario;
import dev.kadshare.simulation.scenario.NatSettings;
import dev.kadshare.simulation.scenario.ScalingScenario;
import dev.kadshare.simulation.scenario.SwarmScenario;
import dev.kadshare.simulation.scenario.SwarmSettings;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code kadshare simulate SCENARIO}: runs a whole network in this JVM and reports on it. */
@Parameters(commandNames = "simulate", commandDescription = "Run a simulated network: lookup, churn, swarm, scaling, nat or attack")
public final class SimulateCommand extends Command {
    @Parameter(description = "SCENARIO (lookup, churn, swarm, scaling, nat or attack)")
    private List<String> scenario = new ArrayList<>();

    @Parameter(names = "--mode", description = "virtual (in-memory, virtual time) or loopback (real UDP on 127.0.0.1)")
    private String mode = "virtual";

    @Parameter(names = "--nodes", description = "Number of DHT nodes (swarm: downloaders)")
    private int nodes = 1000;

    @Parameter(names = "--seed", description = "Seed of every random choice; virtual runs repeat exactly")
    private long seed = 1;

    @Parameter(names = "--lookup-paths", description = "Virtual mode: disjoint paths each lookup runs over (S/Kademlia; 1 = "
            + "plain Kademlia)")
    private int lookupPaths = DhtConfig.DEFAULT_LOOKUP_PATHS;

    @Parameter(names = "--json", description = "Print the report as one JSON object")
    private boolean json;

    @Parameter(names = "--out", description = "Directory for CSV samples and PNG charts")
    private Path out;

    @Parameter(names = "--lookups", description = "Lookups to measure")
    private int lookups = 1000;

    @Parameter(names = "--keys", description = "Keys announced before the lookups")
    private int keys = 100;

    @Parameter(names = "--concurrency", description = "Lookups in flight at once")
    private int concurrency = 20;

    @Parameter(names = "--loss", description = "Virtual: probability a datagram is lost")
    private double loss = 0;

    @Parameter(names = "--latency-ms", description = "Virtual: median one-way latency (lognormal)")
    private double latencyMs = 50;

    @Parameter(names = "--latency-sigma", description = "Virtual: sigma of the latency's logarithm")
    private double latencySigma = 0.5;

    @Parameter(names = "--event-loops", description = "Loopback: event-loop threads shared by all nodes")
    private int eventLoops = 2;

    @Parameter(names = "--timeout-s", description = "Give up on a phase after this long (virtual or wall time)")
    private int timeoutSeconds = 600;

    @Parameter(names = "--sizes", description = "Scaling: the network sizes to run the lookup scenario at (virtual)")
    private List<Integer> sizes = new ArrayList<>(List.of(100, 1000, 10_000, 100_000));

    @Parameter(names = "--allow-partial", description = "Lookup, churn: report on the network even if not every node "
            + "joined or a phase ran out of --timeout-s (otherwise that is an error)")
    private boolean allowPartial;

    @Parameter(names = "--adversaries", description = "Attack: the fraction of nodes that are adversarial")
    private double adversaries = 0.2;

    @Parameter(names = "--id-rule", description = "Attack: bound (the id rule every node enforces: ids proven by "
            + "their key and bound to their address, so adversaries get random ids and lie about real colluders only) "
            + "or none (honest nodes check no ids: adversaries sit next to the target keys and lie with made-up ids)")
    private String idRule = "bound";

    @Parameter(names = "--flooders", description = "Attack: adversarial IPs flooding keys with announcements and records")
    private int flooders = 10;

    @Parameter(names = "--spoofed", description = "Attack: requests sent with one spoofed source address")
    private int spoofed = 10_000;

    @Parameter(names = "--duration-min", description = "Churn: minutes of virtual time the lookups are spread over")
    private int durationMinutes = 30;

    @Parameter(names = "--session-shape", description = "Churn: Weibull shape of session times")
    private double sessionShape = 0.5;

    @Parameter(names = "--session-median-min", description = "Churn: median session time in minutes")
    private double sessionMedianMinutes = 20;

    /** Loopback moves every byte for real, and each of its runs lasts several times the bound: a smaller default. */
    @Parameter(names = "--file-mib", description = "Swarm: file size in MiB (default 64 virtual, 16 loopback)")
    private Double fileMiB;

    /** By default the size a node would share this file with (Manifest.chunkSizeFor), not a number of ours. */
    @Parameter(names = "--chunk-kib", description = "Swarm: chunk size in KiB (default: what a node picks for the file)")
    private Integer chunkKiB;

    @Parameter(names = "--seeder-up-mbps", description = "Swarm: the seeder's upload capacity, Mbit/s")
    private double seederUpMbps = 10;

    @Parameter(names = "--up-mbps", description = "Swarm: each downloader's upload capacity, Mbit/s")
    private double upMbps = 10;

    @Parameter(names = "--down-mbps", description = "Swarm: each downloader's download capacity, Mbit/s")
    private double downMbps = 50;

    @Parameter(names = "--peers", description = "Swarm: other downloaders each downloader knows")
    private int peers = 40;

    @Parameter(names = "--in-flight", description = "Swarm: most requests in flight per peer (the node's default)")
    private int inFlight = SwarmSettings.NODE_IN_FLIGHT;

    @Parameter(names = "--slots", description = "Swarm: downloaders each downloader serves at once (upload slots)")
    private int slots = SwarmSettings.NODE_SLOTS;

    @Parameter(names = "--slot-rotation-s", description = "Swarm: seconds between two upload-slot rotations")
    private double slotRotationSeconds = SwarmSettings.NODE_SLOT_ROTATION.toNanos() / 1e9;

    @Parameter(names = "--port-preserving", description = "Nat: share of hosts behind a port-preserving NAT")
    private double portPreserving = 0.6;

    @Parameter(names = "--symmetric", description = "Nat: share of hosts behind a symmetric NAT (the rest are open)")
    private double symmetric = 0.2;

    @Parameter(names = "--pairs", description = "Nat: getter/sharer pairs connected")
    private int pairs = 1000;

    @Parameter(names = "--idle-s", description = "Nat: seconds the network idles between announcing and connecting")
    private int idleSeconds = 300;

    @Override
    public int run(PrintStream stdout) throws Exception {
        if (scenario.size() != 1) {
            throw new UsageError("simulate needs exactly one scenario: lookup, churn, swarm, scaling, nat or attack");
        }
        if (loss < 0 || loss >= 1 || latencyMs <= 0 || latencySigma < 0 || eventLoops < 1 || timeoutSeconds < 1
                || lookupPaths < 1) {
            throw new UsageError("need 0 <= --loss < 1, --latency-ms > 0, --latency-sigma >= 0, --event-loops, "
                    + "--timeout-s and --lookup-paths >= 1");
        }
        Report report;
        try {
            report = switch (scenario.get(0)) {
                case "lookup" -> lookup();
                case "churn" -> churn();
                case "swarm" -> swarm();
                case "scaling" -> scaling();
                case "nat" -> nat();
                case "attack" -> attack();
                default -> throw new UsageError("unknown scenario '" + scenario.get(0)
                        + "' (use lookup, churn, swarm, scaling, nat or attack)");
            };
        } catch (IllegalArgumentException e) {
            // The settings records reject what they cannot run; to the user that is bad input.
            throw new UsageError(e.getMessage());
        }
        if (json) {
            stdout.println(JsonReport.of(report));
        } else {
            TableReport.print(report, stdout);
        }
        if (out != null) {
            Path csv = CsvReport.write(report, out);
            Path png = Charts.write(report, out);
            if (!json) {
                stdout.println("wrote " + csv + " and " + png);
            }
        }
        return 0;
    }

    private Report lookup() {
        if (nodes < 2) {
            throw new UsageError("--nodes must be at least 2");
        }
        try (Cluster cluster = cluster()) {
            return LookupScenario.run(cluster, lookupSettings());
        }
    }

    private Report churn() {
        if (!"virtual".equals(mode)) {
            throw new UsageError("churn runs in virtual mode only: its sessions last minutes to hours");
        }
        if (nodes < 10) {
            throw new UsageError("--nodes must be at least 10 for churn");
        }
        ChurnSettings settings = new ChurnSettings(lookupSettings(), Duration.ofMinutes(durationMinutes),
                sessionShape, Duration.ofSeconds(Math.round(sessionMedianMinutes * 60)));
        try (VirtualCluster cluster = new VirtualCluster(seed, latencyMs, latencySigma, loss).lookupPaths(lookupPaths)) {
            return ChurnScenario.run(cluster, settings);
        }
    }

    private Report scaling() {
        if (!"virtual".equals(mode)) {
            throw new UsageError("scaling runs in virtual mode only");
        }
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 2)) {
            throw new UsageError("--sizes needs network sizes of at least 2 nodes each");
        }
        return ScalingScenario.run(sizes, seed, n -> new LookupSettings(n, keys, lookups, joinConcurrency(), concurrency,
                seed, Duration.ofSeconds(timeoutSeconds), allowPartial),
                n -> new VirtualCluster(seed, latencyMs, latencySigma, loss).lookupPaths(lookupPaths));
    }

    private Report nat() {
        if (!"virtual".equals(mode)) {
            throw new UsageError("nat runs in virtual mode only: its NATs are modelled");
        }
        if (nodes < 2 || pairs < 1 || idleSeconds < 0) {
            throw new UsageError("--nodes must be at least 2, --pairs at least 1, --idle-s at least 0");
        }
        NatSettings settings = new NatSettings(new LookupSettings(nodes, keys, pairs, joinConcurrency(), concurrency,
                seed, Duration.ofSeconds(timeoutSeconds), allowPartial), new NatShares(portPreserving, symmetric),
                Duration.ofSeconds(idleSeconds));
        try (VirtualCluster cluster = new VirtualCluster(seed, latencyMs, latencySigma, loss, settings.shares())
                .lookupPaths(lookupPaths)) {
            return NatScenario.run(cluster, settings);
        }
    }

    private Report attack() {
        if (!"virtual".equals(mode)) {
            throw new UsageError("attack runs in virtual mode only: adversaries spoof and lie on the virtual network");
        }
        if (out != null) {
            throw new UsageError("attack has no per-lookup samples to chart: drop --out");
        }
        AttackSettings.Placement where = switch (idRule) {
            case "none" -> AttackSettings.Placement.NEAR_TARGETS;
            case "bound" -> AttackSettings.Placement.RANDOM;
            default -> throw new UsageError("unknown --id-rule '" + idRule + "' (use none or bound)");
        };
        AttackSettings settings = new AttackSettings(nodes, adversaries, where, keys, lookups, keys, flooders, spoofed,
                joinConcurrency(), concurrency, seed, Duration.ofSeconds(timeoutSeconds));
        try (VirtualCluster cluster = new VirtualCluster(seed, latencyMs, latencySigma, loss).lookupPaths(lookupPaths)) {
            return AttackScenario.run(cluster, settings);
        }
    }

    private Report swarm() {
        double fileMiB = this.fileMiB != null ? this.fileMiB : "loopback".equals(mode) ? 16 : 64;
        long fileBytes = Math.round(fileMiB * (1 << 20));
        // Bounded before shifting, so that no size wraps round to a small positive one.
        int chunkBytes = chunkKiB != null ? Math.min(chunkKiB, Integer.MAX_VALUE >> 10) << 10
                : Manifest.chunkSizeFor(fileBytes);
        if (nodes < 1 || fileMiB <= 0 || chunkBytes < 1 || inFlight < 1 || slots < 1 || slotRotationSeconds < 0.001) {
            throw new UsageError("--nodes, --file-mib, --chunk-kib, --in-flight, --slots and --slot-rotation-s must be "
                    + "positive");
        }
        if ("loopback".equals(mode)) {
            // Real nodes: their own chunk size, pipelining and upload slots; only the capacities carry over.
            return LoopbackSwarmScenario.run(new LoopbackSwarmSettings(nodes, fileBytes,
                    Math.round(seederUpMbps * 125_000), Math.round(upMbps * 125_000), Math.round(downMbps * 125_000),
                    eventLoops, seed, Duration.ofSeconds(timeoutSeconds)));
        }
        if (!"virtual".equals(mode)) {
            throw new UsageError("unknown mode '" + mode + "' (use virtual or loopback)");
        }
        SwarmSettings settings;
        try {
            settings = new SwarmSettings(nodes, fileBytes, chunkBytes, seederUpMbps * 125_000, upMbps * 125_000,
                    downMbps * 125_000, peers, inFlight, slots, Duration.ofMillis(Math.round(slotRotationSeconds * 1000)),
                    seed, latencyMs, latencySigma);
        } catch (IllegalArgumentException e) {
            throw new UsageError("swarm: " + e.getMessage());
        }
        return SwarmScenario.run(settings);
    }

    private LookupSettings lookupSettings() {
        return new LookupSettings(nodes, keys, lookups, joinConcurrency(), concurrency, seed,
                Duration.ofSeconds(timeoutSeconds), allowPartial);
    }

    /**
     * Joins in flight at most. Waves double the network up to this many newcomers at a time: 4,096 keeps the
     * lookups in flight (and so the heap a large virtual run peaks at) bounded, at 12 + N / 4,096 waves.
     */
    private int joinConcurrency() {
        return "loopback".equals(mode) ? 16 : 4096;
    }

    private Cluster cluster() {
        return switch (mode) {
            case "virtual" -> new VirtualCluster(seed, latencyMs, latencySigma, loss).lookupPaths(lookupPaths);
            case "loopback" -> new LoopbackCluster(eventLoops, seed);
            default -> throw new UsageError("unknown mode '" + mode + "' (use virtual or loopback)");
        };
    }
}
