package dev.kadshare.simulation.swarm;

import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.download.Download;
import dev.kadshare.transfer.download.DownloadAction;
import dev.kadshare.transfer.download.DownloadEvent;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.download.StoreJob;
import dev.kadshare.transfer.serving.HubEvent;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One downloader of the virtual swarm: the transfer module's {@link Download} core, run as {@code NettyDownload}
 * runs it, on the {@link SwarmNetwork} instead of sockets and a {@link ModelledDisk} instead of files. It turns the
 * network's deliveries into the core's events and the core's actions into dials, messages, closes, store jobs and
 * timers. Its host's {@link ServingHost} hears what a node's server hears of its download: the manifest, each chunk
 * verified, what peers were heard to hold (for HAVE suppression) and the move of the files into place. Reading is
 * never paused (no rate limits here) and no link is reported idle (a request times out after 20 s, before a link
 * owing data counts as idle).
 */
public final class DownloadingHost {
    private final int host;
    private final SwarmNetwork network;
    private final PeerId nodeId;
    private final VirtualClock clock;
    private final ServingHost server;
    private final Download download;
    private final ModelledDisk disk;
    /** The open connections, by the link the core knows each by. */
    private final Map<Link, Connection> links = new HashMap<>();
    private final Runnable finished;
    private Optional<Long> finishedAtNanos = Optional.empty();

    /**
     * @param server this host's own server, told what a node's download tells its {@code ServedContent}
     * @param finished told once the download is complete
     */
    public DownloadingHost(int host, ContentId id, DownloadOptions options, RandomGenerator random,
            SwarmNetwork network, ServingHost server, Runnable finished) {
        this.host = host;
        this.network = network;
        this.clock = network.clock();
        this.server = server;
        this.finished = finished;
        this.download = new Download(id, options, clock, random);
        this.nodeId = options.nodeId();
        this.disk = new ModelledDisk(this::post);
        network.attach(this);
    }

    PeerId nodeId() {
        return nodeId;
    }

    int host() {
        return host;
    }

    /** Starts the download with these peers, as a node does with the peers its DHT lookup found. */
    public void start(List<InetSocketAddress> peers) {
        post(new DownloadEvent.Start(peers));
    }

    /** When the download completed (its content verified and moved into place), in virtual nanoseconds. */
    public Optional<Long> finishedAtNanos() {
        return finishedAtNanos;
    }

    // ---- what the network delivers ----

    void connected(Connection c) {
        if (c.openAtDownloader) {
            handle(new DownloadEvent.Connected(c.link, network.provenId(c.server, true)));
        }
    }

    void received(Connection c, Message message) {
        if (c.openAtDownloader) {
            handle(new DownloadEvent.Received(c.link, message));
        }
    }

    void chunkArrived(Connection c, int index, int bytes) {
        if (c.openAtDownloader) {
            handle(new DownloadEvent.ChunkReceived(c.link, index, new ModelledChunk(bytes)));
        }
    }

    void closedByPeer(Connection c) {
        if (c.openAtDownloader) {
            c.openAtDownloader = false;
            links.remove(c.link);
            handle(new DownloadEvent.LinkClosed(c.link));
        }
    }

    // ---- the core ----

    /** Queues {@code event} behind what is due now: a disk's result, a close the download made itself. */
    private void post(DownloadEvent event) {
        clock.scheduleNanos(0, () -> handle(event));
    }

    private void handle(DownloadEvent event) {
        for (DownloadAction action : download.handle(event)) {
            act(action);
        }
    }

    private void act(DownloadAction action) {
        if (action instanceof DownloadAction.Send send) {
            Connection c = links.get(send.link());
            if (c != null) {
                network.toServer(c, send.message());
            }
        } else if (action instanceof DownloadAction.Dial dial) {
            links.put(dial.link(), network.dial(host, dial.link()));
        } else if (action instanceof DownloadAction.CloseLink close) {
            Connection c = links.remove(close.link());
            if (c != null) {
                c.openAtDownloader = false;
                network.closedByDownloader(c);
                post(new DownloadEvent.LinkClosed(close.link()));
            }
        } else if (action instanceof DownloadAction.Store store) {
            if (store.job() instanceof StoreJob.Finish) {
                server.told(new HubEvent.Moving()); // as NettyDownload: nothing is read while the files move
            }
            disk.submit(store.job());
        } else if (action instanceof DownloadAction.Schedule schedule) {
            clock.schedule(schedule.after(), () -> handle(new DownloadEvent.TimerFired(schedule.timer())));
        } else if (action instanceof DownloadAction.ManifestKnown known) {
            server.manifestKnown(known.verified());
        } else if (action instanceof DownloadAction.ChunkVerified verified) {
            server.told(new HubEvent.ChunkAdded(verified.index()));
        } else if (action instanceof DownloadAction.PeerHolds holds) {
            server.told(new HubEvent.PeerHolds(holds.node(), holds.chunks()));
        } else if (action instanceof DownloadAction.PeerHoldsChunk holds) {
            server.told(new HubEvent.PeerHoldsChunk(holds.node(), holds.index()));
        } else if (action instanceof DownloadAction.Finished done) {
            server.told(new HubEvent.MovedTo(done.path()));
            finishedAtNanos = Optional.of(clock.nanos());
            finished.run();
        } else if (action instanceof DownloadAction.Failed failed) {
            // Every peer is honest and every chunk good here: a failure is a fault of the model or of the core.
            throw new IllegalStateException("downloader " + host + " failed: " + failed.reason());
        }
        // Progress and the other milestones are for a node's user; reading is never paused (no rate limits).
    }
}
