package dev.kadshare.simulation.swarm;

import dev.kadshare.simulation.virtual.Pipe;
import dev.kadshare.simulation.virtual.UploadQueue;
import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.serving.HubAction;
import dev.kadshare.transfer.serving.HubEvent;
import dev.kadshare.transfer.serving.HubSettings;
import dev.kadshare.transfer.serving.LocalCopy;
import dev.kadshare.transfer.serving.PeerHoldings;
import dev.kadshare.transfer.serving.ServingHub;
import dev.kadshare.transfer.serving.SessionId;
import dev.kadshare.transfer.store.Naming;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * One host's transfer server for the swarm's content: the transfer module's {@link ServingHub}, run as
 * {@code NettyServingHub} and {@code ServerSession} run it, on the {@link SwarmNetwork} instead of sockets. It turns a
 * connection's messages into the hub's events (HELLO, MANIFEST_REQUEST, REQUEST, CANCEL, the close) and the hub's
 * actions into messages, chunks, GOODBYEs, closes and timers; the hub chooses whom it serves (its upload slots,
 * rotating on its own timer), what the seeder reveals (initial seeding) and when a chunk goes. A chunk goes through
 * the host's {@link UploadQueue} on its upload {@link Pipe}, and the hub hears it written once it starts on the wire
 * (the modelled socket takes the next); what it writes behind a chunk lands after it, as on one TCP connection. A
 * downloader's server has no hub until its download knows the manifest (it refuses with GOODBYE before, as a node
 * does); the hub then serves what the download verified, and hears what it verifies and what it learns peers hold.
 * Nothing is read from the hub's {@link LocalCopy}: its paths lie under a fixed fake root and only a chunk's length
 * crosses the modelled network.
 */
public final class ServingHost {
    private final int host;
    private final PeerId nodeId;
    private final Manifest manifest;
    private final SwarmNetwork network;
    private final VirtualClock clock;
    private final UploadQueue uploads;
    private final int uploadSlots;
    private final Duration slotRotation;
    /** Empty until the host knows the manifest (a downloader's, before its download does). */
    private Optional<ServingHub> hub = Optional.empty();

    private ServingHost(int host, PeerId nodeId, Manifest manifest, SwarmNetwork network, double uploadBytesPerSecond,
            int uploadSlots, Duration slotRotation) {
        this.host = host;
        this.nodeId = nodeId;
        this.manifest = manifest;
        this.network = network;
        this.clock = network.clock();
        this.uploads = new UploadQueue(clock, new Pipe(uploadBytesPerSecond), this::sending);
        this.uploadSlots = uploadSlots;
        this.slotRotation = slotRotation;
        network.attach(this);
    }

    /** The seeder: holds the whole content and seeds it initially (it has slots for those who come after). */
    public static ServingHost seeder(int host, PeerId nodeId, Manifest manifest, SwarmNetwork network,
            double uploadBytesPerSecond, int uploadSlots, Duration slotRotation) {
        ServingHost seeder = new ServingHost(host, nodeId, manifest, network, uploadBytesPerSecond, uploadSlots,
                slotRotation);
        seeder.serve(LocalCopy.complete(manifest, Naming.ORIGINAL, ModelledDisk.ROOT), true);
        return seeder;
    }

    /** A downloader's server: serves what its download verified, from the moment the manifest is known. */
    public static ServingHost downloader(int host, PeerId nodeId, Manifest manifest, SwarmNetwork network,
            double uploadBytesPerSecond, int uploadSlots, Duration slotRotation) {
        return new ServingHost(host, nodeId, manifest, network, uploadBytesPerSecond, uploadSlots, slotRotation);
    }

    PeerId nodeId() {
        return nodeId;
    }

    int host() {
        return host;
    }

    /** Starts the hub, as a node's server makes one: no upload limits here, and nothing heard of peers yet. */
    private void serve(LocalCopy copy, boolean seedInitially) {
        HubSettings settings = new HubSettings(uploadSlots, slotRotation, List.of(), seedInitially);
        hub = Optional.of(new ServingHub(settings, copy, new PeerHoldings(manifest.chunkCount()), clock));
    }

    // ---- what this host's own download tells it, as it tells a node's ServedContent ----

    void manifestKnown(BitSet verified) {
        serve(LocalCopy.partial(manifest, ModelledDisk.ROOT, verified), false);
    }

    /** {@code event} from this host's download: dropped before the hub exists, as a node drops it. */
    void told(HubEvent event) {
        if (hub.isPresent()) {
            handle(event);
        }
    }

    // ---- a connection, as ServerSession sees it ----

    void received(Connection c, Message message) {
        if (c.closedAtServer) {
            return;
        }
        if (message instanceof Message.Hello hello) {
            onHello(c, hello);
        } else if (hub.isEmpty()) {
            return; // refused at its HELLO; the close is on its way
        } else if (message instanceof Message.Request request) {
            handle(new HubEvent.Requested(c.session, request.index()));
        } else if (message instanceof Message.Cancel cancel) {
            handle(new HubEvent.Cancelled(c.session, cancel.index()));
        } else if (message instanceof Message.ManifestRequest) {
            handle(new HubEvent.ManifestRequested(c.session));
        }
        // HAVE and BITFIELD: this side only serves. The core sends nothing else to a server.
    }

    private void onHello(Connection c, Message.Hello hello) {
        if (hub.isEmpty() || !hello.contentId().equals(manifest.contentId())) {
            write(c, new Message.Goodbye("unknown content " + hello.contentId()));
            closeAtServer(c);
            return;
        }
        InetSocketAddress remote = network.address(c.downloader);
        Optional<InetSocketAddress> serving = hello.listenPort() > 0
                ? Optional.of(new InetSocketAddress(remote.getAddress(), hello.listenPort())) : Optional.empty();
        handle(new HubEvent.Joined(c.session, network.provenId(c.downloader, false), remote, serving));
    }

    /** The downloader closed {@code c}: its chunks not yet on the wire are dropped with the socket. */
    void closed(Connection c) {
        if (!c.closedAtServer) {
            c.closedAtServer = true;
            dropQueued(c);
            told(new HubEvent.Left(c.session));
        }
    }

    // ---- the hub ----

    private void handle(HubEvent event) {
        for (HubAction action : hub.orElseThrow().handle(event)) {
            act(action);
        }
    }

    private void act(HubAction action) {
        if (action instanceof HubAction.Send send) {
            open(send.session()).ifPresent(c -> write(c, send.message()));
        } else if (action instanceof HubAction.SendChunk chunk) {
            // Its spans name files under the fake root: nothing is opened, the network carries the length.
            open(chunk.session()).ifPresent(c -> {
                c.writtenBehindChunks.add(new ArrayList<>(1));
                uploads.request(new UploadQueue.Job(c.id, chunk.index(), chunk.length()));
            });
        } else if (action instanceof HubAction.Goodbye goodbye) {
            open(goodbye.session()).ifPresent(c -> {
                write(c, new Message.Goodbye(goodbye.reason()));
                closeAtServer(c);
            });
        } else if (action instanceof HubAction.Close close) {
            open(close.session()).ifPresent(this::closeAtServer);
        } else if (action instanceof HubAction.Schedule schedule) {
            HubEvent.TimerFired fired = new HubEvent.TimerFired(schedule.timer());
            clock.schedule(schedule.after(), () -> handle(fired));
        }
        // PublishUploads: nobody shows upload counts here.
    }

    /** The connection a session names, unless this end closed it. */
    private Optional<Connection> open(SessionId session) {
        Connection c = network.connection(Math.toIntExact(session.serial()));
        return c.closedAtServer ? Optional.empty() : Optional.of(c);
    }

    /**
     * Writes {@code message} on {@code c}, as on a socket: behind the chunks written before it, which it never
     * overtakes (a CHOKE reaches the peer after the chunks already handed out, which it thus still takes as answers).
     */
    private void write(Connection c, Message message) {
        if (c.writtenBehindChunks.isEmpty()) {
            network.toDownloader(c, message, c.lastChunkLandsNanos);
        } else {
            c.writtenBehindChunks.getLast().add(message);
        }
    }

    /**
     * This end closes {@code c} after what it sent (its chunks not yet on the wire are dropped, with what was written
     * behind them); the hub hears it left, as from a closed channel.
     */
    private void closeAtServer(Connection c) {
        c.closedAtServer = true;
        dropQueued(c);
        network.closedByServer(c, c.lastChunkLandsNanos);
        clock.scheduleNanos(0, () -> told(new HubEvent.Left(c.session)));
    }

    private void dropQueued(Connection c) {
        uploads.cancelAll(c.id);
        c.writtenBehindChunks.clear();
    }

    /**
     * A chunk starts out of the upload queue onto the wire: the modelled socket would take the next, so the hub
     * hears it written, after the actions at hand (as a session posts it to its hub).
     */
    private void sending(UploadQueue.Job job, long sendEndNanos) {
        Connection c = network.connection(job.to());
        c.lastChunkLandsNanos = network.chunk(c, job.index(), (int) job.bytes(), sendEndNanos);
        for (Message behind : c.writtenBehindChunks.remove()) {
            network.toDownloader(c, behind, c.lastChunkLandsNanos);
        }
        clock.scheduleNanos(0, () -> told(new HubEvent.ChunkWritten(c.session, true)));
    }
}
