package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.KumarRoss;
import dev.kadshare.simulation.report.SwarmReport;
import dev.kadshare.simulation.virtual.LatencyModel;
import dev.kadshare.simulation.virtual.Pipe;
import dev.kadshare.simulation.virtual.VirtualClock;
import dev.kadshare.transfer.swarm.Swarm;
import dev.kadshare.transfer.swarm.SwarmAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One seeder and N downloaders in virtual time, each downloader driven by the transfer module's real
 * {@link Swarm}: it decides which chunk to ask of which peer and how many to keep in flight; this class
 * only carries requests and chunks over a modelled network (per-pair latency, per-host upload and
 * download {@link Pipe}s). Host 0 is the seeder, hosts 1..N the downloaders.
 *
 * <p>A downloader starts serving once it holds the whole file: the Swarm assumes every ready peer holds
 * every chunk (no BITFIELD/HAVE yet) and the transfer server serves complete content only, so that is
 * what the real module does today.
 */
public final class SwarmScenario {
    private final SwarmSettings settings;
    private final VirtualClock clock = new VirtualClock();
    private final LatencyModel latency;
    private final SplittableRandom random;
    private final int hosts;
    private final Pipe[] up;
    private final Pipe[] down;
    private final List<Swarm<Integer>> swarms = new ArrayList<>();
    /** For each host, the downloaders that have it as a peer: told when it starts serving. */
    private final List<List<Integer>> knownBy = new ArrayList<>();
    private final double[] completionSeconds;
    private int finished;

    private SwarmScenario(SwarmSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.latency = new LatencyModel(settings.medianLatencyMillis(), settings.latencySigma(), random.nextLong());
        this.hosts = settings.downloaders() + 1;
        this.up = new Pipe[hosts];
        this.down = new Pipe[hosts];
        this.completionSeconds = new double[settings.downloaders()];
        for (int h = 0; h < hosts; h++) {
            up[h] = new Pipe(h == 0 ? settings.seederUpload() : settings.upload());
            down[h] = new Pipe(settings.download());
            knownBy.add(new ArrayList<>());
            swarms.add(h == 0 ? null : new Swarm<>(settings.chunkCount(), settings.inFlightPerPeer()));
        }
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
        double[] completion = scenario.completionSeconds.clone();
        for (int i = 0; i < completion.length; i++) {
            if (completion[i] == 0) {
                completion[i] = Double.POSITIVE_INFINITY; // never finished within the timeout
            }
        }
        return new SwarmReport("virtual", settings.downloaders(), settings.seed(), settings.fileBytes(), completion,
                bound, cost.stop());
    }

    private void start() {
        for (int d = 1; d < hosts; d++) {
            for (int peer : peersOf(d)) {
                knownBy.get(peer).add(d);
                swarms.get(d).peerConnecting(peer);
            }
            connect(d, 0);
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

    /** The handshake takes a round trip; then the peer is ready and the swarm may ask it for chunks. */
    private void connect(int downloader, int peer) {
        clock.scheduleNanos(2 * latency.nanos(downloader, peer),
                () -> apply(downloader, swarms.get(downloader).peerReady(peer)));
    }

    private void apply(int downloader, List<SwarmAction<Integer>> actions) {
        for (SwarmAction<Integer> action : actions) {
            if (action instanceof SwarmAction.Request<Integer> r) {
                int peer = r.peer();
                int index = r.index();
                clock.scheduleNanos(latency.nanos(downloader, peer), () -> serve(peer, downloader, index));
            } else if (action instanceof SwarmAction.Complete<Integer>) {
                completionSeconds[downloader - 1] = clock.nanos() / 1e9;
                finished++;
                knownBy.get(downloader).forEach(d -> connect(d, downloader));
            } else if (action instanceof SwarmAction.Fail<Integer> || action instanceof SwarmAction.Drop<Integer>) {
                throw new IllegalStateException("downloader " + downloader + ": " + action);
            }
        }
    }

    /**
     * A request reached {@code peer}: its upload pipe sends the chunk in request order; the downloader's
     * download pipe is taken from when the sending starts, and the chunk lands after both and the latency.
     */
    private void serve(int peer, int downloader, int index) {
        long size = settings.chunkSize(index);
        long sendStart = Math.max(clock.nanos(), up[peer].freeAtNanos());
        long sendEnd = up[peer].reserve(clock.nanos(), size);
        clock.scheduleNanos(sendStart - clock.nanos(), () -> {
            long receiveEnd = down[downloader].reserve(clock.nanos(), size);
            long lands = Math.max(sendEnd, receiveEnd) + latency.nanos(peer, downloader);
            clock.scheduleNanos(lands - clock.nanos(),
                    () -> apply(downloader, swarms.get(downloader).chunkVerified(peer, index)));
        });
    }
}
