package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.KumarRoss;
import dev.kadshare.simulation.report.SwarmReport;
import dev.kadshare.simulation.virtual.LatencyModel;
import dev.kadshare.simulation.virtual.Pipe;
import dev.kadshare.simulation.virtual.UploadQueue;
import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.serving.InitialSeeding;
import dev.kadshare.transfer.serving.UploadSlots;
import dev.kadshare.transfer.swarm.Swarm;
import dev.kadshare.transfer.swarm.SwarmAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One seeder and N downloaders in virtual time, each downloader driven by the transfer module's real
 * {@link Swarm}: it picks which chunk to ask of which peer (rarest first), keeps requests in flight,
 * runs the endgame and times requests out; this class only carries requests, CANCELs, HAVEs and chunks
 * over a modelled network: per-pair latency, and per host an {@link UploadQueue} on its upload
 * {@link Pipe} and a download {@link Pipe}. Host 0 is the seeder, hosts 1..N the downloaders; a
 * downloader serves what it has from the start and tells its peers of every chunk it verifies.
 */
public final class SwarmScenario {
    /** As a real download: its request timeout, checked every half of it. */
    private static final Duration REQUEST_TIMEOUT = DownloadOptions.defaults().requestTimeout();
    private static final Duration TIMEOUT_CHECK = REQUEST_TIMEOUT.dividedBy(2);
    /** The seeder's chunks revealed and not yet sent: a few, to keep its upload busy across a round trip. */
    private static final int SEEDER_UNSENT = 4;

    private final SwarmSettings settings;
    private final VirtualClock clock = new VirtualClock();
    private final LatencyModel latency;
    private final SplittableRandom random;
    private final int hosts;
    private final Pipe[] down;
    private final UploadQueue[] uploads;
    private final List<Swarm<Integer>> swarms = new ArrayList<>();
    /** Each downloader's upload slots, as its transfer server has them; the seeder rations by revealing. */
    private final List<UploadSlots<Connection>> slots = new ArrayList<>();
    /** served[h].get(d): downloader d is unchoked at host h, so h queues its requests. */
    private final BitSet[] served;
    /** What the seeder, the only complete source, tells each downloader it holds. */
    private final InitialSeeding<Integer> seeding;
    /** For each downloader, its connections to other downloaders, by host. */
    private final List<Map<Integer, Connection>> links = new ArrayList<>();
    /** For each host, the downloaders that have it as a peer: they hear its HAVEs and may request from it. */
    private final List<List<Integer>> knownBy = new ArrayList<>();
    private final double[] completionSeconds;
    private int finished;

    private SwarmScenario(SwarmSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.latency = new LatencyModel(settings.medianLatencyMillis(), settings.latencySigma(), random.nextLong());
        this.hosts = settings.downloaders() + 1;
        this.down = new Pipe[hosts];
        this.uploads = new UploadQueue[hosts];
        this.completionSeconds = new double[settings.downloaders()];
        this.seeding = new InitialSeeding<>(settings.chunkCount(), SEEDER_UNSENT);
        this.served = new BitSet[hosts];
        for (int h = 0; h < hosts; h++) {
            int from = h;
            down[h] = new Pipe(settings.download());
            uploads[h] = new UploadQueue(clock, new Pipe(h == 0 ? settings.seederUpload() : settings.upload()),
                    (job, sendEnd) -> sending(from, job, sendEnd));
            knownBy.add(new ArrayList<>());
            links.add(new LinkedHashMap<>());
            slots.add(new UploadSlots<>(settings.uploadSlots()));
            served[h] = new BitSet();
            swarms.add(h == 0 ? null : new Swarm<>(settings.chunkCount(), settings.inFlightPerPeer(),
                    settings.inFlightTotal(), new BitSet(), clock, random.split(), REQUEST_TIMEOUT));
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
                completion[i] = Double.POSITIVE_INFINITY; // never finished within the limit
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
                connect(d, peer);
            }
            checkTimeouts(d);
        }
        rotateSlots();
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

    /**
     * The handshake takes a round trip; then the peer's BITFIELD tells the swarm what it holds: for the
     * seeder, what it chose to reveal when the HELLO reached it.
     */
    private void connect(int downloader, int peer) {
        long oneWay = latency.nanos(downloader, peer);
        if (peer == 0) {
            clock.scheduleNanos(oneWay, () -> {
                BitSet bitfield = seeding.peerJoined(downloader);
                clock.scheduleNanos(oneWay, () -> apply(downloader, swarms.get(downloader).peerReady(0, bitfield)));
            });
        } else {
            clock.scheduleNanos(oneWay, () -> {
                Connection connection = new Connection(peer, downloader);
                links.get(downloader).put(peer, connection);
                boolean unchoked = slots.get(peer).join(connection);
                if (unchoked) {
                    served[peer].set(downloader);
                }
                clock.scheduleNanos(oneWay, () -> {
                    Swarm<Integer> swarm = swarms.get(downloader);
                    if (!unchoked) {
                        apply(downloader, swarm.peerChoked(peer)); // before the BITFIELD, so nothing is asked
                    }
                    apply(downloader, swarm.peerReady(peer, swarms.get(peer).verified()));
                });
            });
        }
    }

    /**
     * A finished download closes its connections, as {@code Download} does: each peer's server frees the
     * upload slot for someone waiting, the seeder forgets what it told it. It goes on serving what it has.
     */
    private void disconnect(int downloader) {
        for (Connection link : links.get(downloader).values()) {
            clock.scheduleNanos(latency.nanos(downloader, link.host), () -> {
                served[link.host].clear(downloader);
                uploads[link.host].cancelAll(downloader);
                change(slots.get(link.host).leave(link));
            });
        }
        clock.scheduleNanos(latency.nanos(downloader, 0), () -> {
            uploads[0].cancelAll(downloader);
            reveal(seeding.peerLeft(downloader));
        });
    }

    /** A downloader's connection to {@code host} as the host's upload slots see it: CHOKE and UNCHOKE. */
    private final class Connection {
        private final int host;
        private final int downloader;

        Connection(int host, int downloader) {
            this.host = host;
            this.downloader = downloader;
        }

        void choke() {
            served[host].clear(downloader);
            uploads[host].cancelAll(downloader);
            clock.scheduleNanos(latency.nanos(host, downloader),
                    () -> apply(downloader, swarms.get(downloader).peerChoked(host)));
        }

        void unchoke() {
            served[host].set(downloader);
            clock.scheduleNanos(latency.nanos(host, downloader),
                    () -> apply(downloader, swarms.get(downloader).peerUnchoked(host)));
        }
    }

    /** Every downloader rotates its slots on this period, as the hub of a served content does. */
    private void rotateSlots() {
        clock.schedule(settings.slotRotation(), () -> {
            if (finished < settings.downloaders()) {
                for (int h = 1; h < hosts; h++) {
                    change(slots.get(h).rotate());
                }
                rotateSlots();
            }
        });
    }

    /** Tells each connection whose slot changed (UNCHOKE or CHOKE), in order. */
    private static void change(List<UploadSlots.Change<Connection>> changes) {
        for (UploadSlots.Change<Connection> change : changes) {
            if (change instanceof UploadSlots.Change.Unchoked<Connection>) {
                change.member().unchoke();
            } else {
                change.member().choke();
            }
        }
    }

    /** The seeder's HAVEs. */
    private void reveal(List<InitialSeeding.Reveal<Integer>> reveals) {
        for (InitialSeeding.Reveal<Integer> r : reveals) {
            clock.scheduleNanos(latency.nanos(0, r.peer()),
                    () -> apply(r.peer(), swarms.get(r.peer()).peerHave(0, r.index())));
        }
    }

    private void checkTimeouts(int downloader) {
        clock.schedule(TIMEOUT_CHECK, () -> {
            Swarm<Integer> swarm = swarms.get(downloader);
            if (!swarm.isComplete()) {
                apply(downloader, swarm.checkTimeouts());
                checkTimeouts(downloader);
            }
        });
    }

    private void apply(int downloader, List<SwarmAction<Integer>> actions) {
        for (SwarmAction<Integer> action : actions) {
            if (action instanceof SwarmAction.Request<Integer> r) {
                UploadQueue.Job job = new UploadQueue.Job(downloader, r.index(), settings.chunkSize(r.index()));
                clock.scheduleNanos(latency.nanos(downloader, r.peer()), () -> {
                    if (r.peer() == 0) {
                        uploads[0].request(job);
                    } else if (served[r.peer()].get(downloader)) { // a choked requester's request is ignored
                        slots.get(r.peer()).requested(links.get(downloader).get(r.peer()));
                        uploads[r.peer()].request(job);
                    }
                });
            } else if (action instanceof SwarmAction.Cancel<Integer> c) {
                clock.scheduleNanos(latency.nanos(downloader, c.peer()), () -> {
                    if (uploads[c.peer()].cancel(downloader, c.index()) && c.peer() == 0) {
                        reveal(seeding.requestDropped(downloader, c.index()));
                    }
                });
            } else if (action instanceof SwarmAction.Complete<Integer>) {
                completionSeconds[downloader - 1] = clock.nanos() / 1e9;
                finished++;
                disconnect(downloader);
            } else if (action instanceof SwarmAction.Fail<Integer> || action instanceof SwarmAction.Drop<Integer>) {
                throw new IllegalStateException("downloader " + downloader + ": " + action);
            }
        }
    }

    /** {@code from} starts sending a chunk; once the seeder's is on the wire it may reveal the next. */
    private void sending(int from, UploadQueue.Job job, long sendEnd) {
        transmit(from, job, sendEnd);
        if (from == 0) {
            reveal(seeding.chunkSent(job.to(), job.index()));
        }
    }

    /**
     * {@code from} starts sending a chunk: the receiver's download pipe is taken from now, and the chunk
     * lands once both pipes are through and the latency has passed.
     */
    private void transmit(int from, UploadQueue.Job job, long sendEnd) {
        long receiveEnd = down[job.to()].reserve(clock.nanos(), job.bytes());
        long lands = Math.max(sendEnd, receiveEnd) + latency.nanos(from, job.to());
        clock.scheduleNanos(lands - clock.nanos(), () -> arrive(from, job.to(), job.index()));
    }

    private void arrive(int from, int downloader, int index) {
        Swarm<Integer> swarm = swarms.get(downloader);
        if (!swarm.isAwaiting(from, index) && !swarm.takeCancelled(from, index)) {
            return; // never asked for, so never sent by an honest peer; cannot happen here
        }
        int before = swarm.verifiedCount();
        apply(downloader, swarm.chunkVerified(from, index));
        if (swarm.verifiedCount() > before) {
            for (int listener : knownBy.get(downloader)) {
                clock.scheduleNanos(latency.nanos(downloader, listener),
                        () -> apply(listener, swarms.get(listener).peerHave(downloader, index)));
            }
        }
    }
}
