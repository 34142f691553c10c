package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.KumarRoss;
import dev.kadshare.simulation.report.SwarmReport;
import dev.kadshare.simulation.swarm.DownloadingHost;
import dev.kadshare.simulation.swarm.ServingHost;
import dev.kadshare.simulation.swarm.SwarmNetwork;
import dev.kadshare.simulation.virtual.LatencyModel;
import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.download.DownloadOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One seeder and N downloaders in virtual time, each downloader the transfer module's own {@code Download} core
 * ({@link DownloadingHost}): it fetches the manifest, picks which chunk to ask of which peer, pipelines, runs the
 * endgame, times requests out and dials again as a node's download does; each host's server
 * ({@link ServingHost}) is the transfer module's own {@code ServingHub} core: it chokes with its upload slots, rotated
 * on its own timer, and the seeder reveals with its initial seeding. The {@link SwarmNetwork} carries their messages and chunks: per-pair latency, each host's upload and
 * download capacity. Host 0 is the seeder, hosts 1..N the downloaders.
 */
public final class SwarmScenario {
    private final SwarmSettings settings;
    private final VirtualClock clock = new VirtualClock();
    private final SplittableRandom random;
    private final int hosts;
    private final SwarmNetwork network;
    private final DownloadingHost[] downloaders;
    private int finished;

    private SwarmScenario(SwarmSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.hosts = settings.downloaders() + 1;
        LatencyModel latency = new LatencyModel(settings.medianLatencyMillis(), settings.latencySigma(),
                random.nextLong());
        this.network = new SwarmNetwork(clock, latency, hosts, settings.download());
        // Hashes that are not the file's: the modelled disk never hashes, and the content id is the manifest's.
        Manifest manifest = Manifest.of("swarm.bin", settings.fileBytes(), settings.chunkBytes(),
                Collections.nCopies(settings.chunkCount(), new byte[Sha256.LENGTH]));
        this.downloaders = new DownloadingHost[hosts];
        ServingHost.seeder(0, nodeId(), manifest, network, settings.seederUpload(),
                settings.uploadSlots(), settings.slotRotation());
        for (int d = 1; d < hosts; d++) {
            PeerId id = nodeId();
            ServingHost server = ServingHost.downloader(d, id, manifest, network, settings.upload(),
                    settings.uploadSlots(), settings.slotRotation());
            downloaders[d] = new DownloadingHost(d, manifest.contentId(), options(id), random.split(), network,
                    server, () -> finished++);
        }
    }

    /** A node's download options, with this run's pipeline caps and room for all its peers. */
    private DownloadOptions options(PeerId id) {
        DownloadOptions defaults = DownloadOptions.defaults();
        return defaults.toBuilder()
                .nodeId(id)
                .maxInFlightPerPeer(settings.inFlightPerPeer())
                .maxInFlightBytes((long) settings.inFlightTotal() * settings.chunkBytes())
                .maxPeers(Math.max(defaults.maxPeers(), settings.peersPerDownloader() + 1))
                .build();
    }

    private PeerId nodeId() {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return PeerId.of(id);
    }

    /** Runs until every downloader is done, or for at most N+1 times the bound plus a minute of virtual time. */
    public static SwarmReport run(SwarmSettings settings) {
        CostMeter cost = CostMeter.start();
        SwarmScenario scenario = new SwarmScenario(settings);
        scenario.start();
        cost.networkBuilt(settings.downloaders() + 1);
        double bound = KumarRoss.boundSeconds(settings.fileBytes(), settings.downloaders(), settings.seederUpload(),
                settings.downloaders() * settings.upload(), settings.download());
        // Even one seeder serving everyone in turn needs only about N times the bound.
        Duration limit = Duration.ofSeconds(60 + (long) Math.ceil(bound * (settings.downloaders() + 1)));
        scenario.clock.runUntil(() -> scenario.finished == settings.downloaders(), limit);
        double[] completion = new double[settings.downloaders()];
        for (int d = 1; d < scenario.hosts; d++) {
            // Never finished within the limit: infinitely late.
            completion[d - 1] = scenario.downloaders[d].finishedAtNanos().map(n -> n / 1e9)
                    .orElse(Double.POSITIVE_INFINITY);
        }
        return new SwarmReport("virtual", settings.downloaders(), settings.seed(), settings.fileBytes(), completion,
                bound, cost.stop());
    }

    private void start() {
        for (int d = 1; d < hosts; d++) {
            List<InetSocketAddress> peers = new ArrayList<>();
            for (int peer : peersOf(d)) {
                peers.add(network.address(peer));
            }
            downloaders[d].start(peers);
        }
    }

    /** The seeder, then a random sample of other downloaders (a partial random graph, as a DHT lookup gives). */
    private List<Integer> peersOf(int d) {
        List<Integer> peers = new ArrayList<>(List.of(0));
        int wanted = Math.min(settings.peersPerDownloader(), hosts - 2);
        int[] order = LookupScenario.permutation(hosts - 1, random);
        for (int i = 0; i < order.length && peers.size() <= wanted; i++) {
            int other = order[i] + 1;
            if (other != d) {
                peers.add(other);
            }
        }
        return peers;
    }
}
