package dev.kadshare.simulation.swarm;

import dev.kadshare.simulation.virtual.Pipe;
import dev.kadshare.simulation.virtual.UploadQueue;
import dev.kadshare.transfer.serving.UploadSlots;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.serving.InitialSeeding;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One host's transfer server for the swarm's content, modelled on {@code ServerSession}: the transfer module's
 * {@link UploadSlots} choose whom it serves, the seeder's {@link InitialSeeding} what it reveals; an
 * {@link UploadQueue} on its upload {@link Pipe} sends the chunks. A downloader's server knows the content once its
 * download knows the manifest (it refuses with GOODBYE before, as a node does), and holds what its download
 * verified. The only place the simulation uses the serving side's policies.
 */
public final class ServingHost {
    /** The seeder's chunks revealed and not yet sent, as a node's ({@code Uploads}). */
    static final int SEEDER_UNSENT = 4;

    private final int host;
    private final PeerId nodeId;
    private final Manifest manifest;
    private final SwarmNetwork network;
    private final UploadQueue uploads;
    private final UploadSlots<Connection> slots;
    private final Optional<InitialSeeding<Connection>> seeding;
    private final BitSet held = new BitSet();
    /** The connections it tells of each chunk its download verifies (HAVE): those past their HELLO. */
    private final List<Connection> sessions = new ArrayList<>();
    /** Knows the manifest: a downloader's server refuses every peer until then. */
    private boolean serving;

    private ServingHost(int host, PeerId nodeId, Manifest manifest, SwarmNetwork network, double uploadBytesPerSecond,
            int uploadSlots, Optional<InitialSeeding<Connection>> seeding) {
        this.host = host;
        this.nodeId = nodeId;
        this.manifest = manifest;
        this.network = network;
        this.uploads = new UploadQueue(network.clock(), new Pipe(uploadBytesPerSecond), this::sending);
        this.slots = new UploadSlots<>(uploadSlots);
        this.seeding = seeding;
        network.attach(this);
    }

    /** The seeder: holds the whole content and seeds it initially (it has slots for those who come after). */
    public static ServingHost seeder(int host, PeerId nodeId, Manifest manifest, SwarmNetwork network,
            double uploadBytesPerSecond, int uploadSlots) {
        ServingHost seeder = new ServingHost(host, nodeId, manifest, network, uploadBytesPerSecond, uploadSlots,
                Optional.of(new InitialSeeding<>(manifest.chunkCount(), SEEDER_UNSENT)));
        seeder.serving = true;
        seeder.held.set(0, manifest.chunkCount());
        return seeder;
    }

    /** A downloader's server: serves what its download verified, from the moment the manifest is known. */
    public static ServingHost downloader(int host, PeerId nodeId, Manifest manifest, SwarmNetwork network,
            double uploadBytesPerSecond, int uploadSlots) {
        return new ServingHost(host, nodeId, manifest, network, uploadBytesPerSecond, uploadSlots, Optional.empty());
    }

    int host() {
        return host;
    }

    /** The period of the slots is over, as {@code TransferServer} rotates them. */
    public void rotateSlots() {
        change(slots.rotate());
    }

    /** Tells each connection whose slot changed. */
    private void change(List<UploadSlots.Change<Connection>> changes) {
        for (UploadSlots.Change<Connection> change : changes) {
            setChoked(change.member(), change instanceof UploadSlots.Change.Choked<Connection>);
        }
    }

    // ---- what this host's own download tells it ----

    void manifestKnown(BitSet verified) {
        serving = true;
        held.or(verified);
    }

    void chunkVerified(int index) {
        held.set(index);
        for (Connection c : sessions) {
            network.toDownloader(c, new Message.Have(index));
        }
    }

    // ---- a connection's messages ----

    void received(Connection c, Message message) {
        if (c.closedAtServer) {
            return;
        }
        if (message instanceof Message.Hello hello) {
            onHello(c, hello);
        } else if (message instanceof Message.ManifestRequest) {
            network.toDownloader(c, new Message.ManifestData(manifest.canonicalBytes()));
        } else if (message instanceof Message.Request request) {
            onRequest(c, request.index());
        } else if (message instanceof Message.Cancel cancel) {
            if (uploads.cancel(c.id, cancel.index())) {
                seedingStep(c, s -> s.requestDropped(c, cancel.index()));
            }
        }
    }

    private void onHello(Connection c, Message.Hello hello) {
        if (!serving || !hello.contentId().equals(manifest.contentId())) {
            network.toDownloader(c, new Message.Goodbye("unknown content " + hello.contentId()));
            c.closedAtServer = true;
            network.closedByServer(c);
            return;
        }
        network.toDownloader(c, new Message.Hello(FrameCodec.PROTOCOL_VERSION, nodeId, manifest.contentId()));
        sessions.add(c);
        if (seeding.isPresent() && !seeding.get().isOver()) {
            // The reveals ration the seeder's upload (a few chunks asked at a time): no upload slot.
            c.seeded = true;
            network.toDownloader(c, Message.Bitfield.of(seeding.get().peerJoined(c)));
            return;
        }
        network.toDownloader(c, Message.Bitfield.of(held));
        c.inSlots = true;
        if (!slots.join(c)) {
            c.choked = true;
            network.toDownloader(c, new Message.Choke());
        }
    }

    private void setChoked(Connection c, boolean choke) {
        if (c.closedAtServer || c.choked == choke) {
            return;
        }
        c.choked = choke;
        if (choke) {
            uploads.cancelAll(c.id); // the peer treats its outstanding requests as cancelled
        }
        network.toDownloader(c, choke ? new Message.Choke() : new Message.Unchoke());
    }

    private void onRequest(Connection c, int index) {
        if (index < 0 || index >= manifest.chunkCount()) {
            network.toDownloader(c, new Message.Reject(index, "no chunk " + index));
        } else if (c.choked) {
            network.toDownloader(c, new Message.Reject(index, "choked"));
        } else if (!held.get(index)) {
            network.toDownloader(c, new Message.Reject(index, "chunk " + index + " not held yet"));
        } else {
            if (c.inSlots) {
                slots.requested(c); // the slot is in use
            }
            uploads.request(new UploadQueue.Job(c.id, index, manifest.chunkLength(index)));
        }
    }

    /** The downloader closed {@code c}: its queued chunks are dropped, its slot and its reveals go to others. */
    void closed(Connection c) {
        if (c.closedAtServer) {
            return;
        }
        c.closedAtServer = true;
        uploads.cancelAll(c.id);
        sessions.remove(c);
        seedingStep(c, s -> s.peerLeft(c));
        if (c.inSlots) {
            change(slots.leave(c));
        }
    }

    /** A chunk starts out of the upload queue; one of the seeder's first round lets it reveal the next. */
    private void sending(UploadQueue.Job job, long sendEndNanos) {
        Connection c = network.connection(job.to());
        network.chunk(c, job.index(), (int) job.bytes(), sendEndNanos);
        seedingStep(c, s -> s.chunkSent(c, job.index()));
    }

    /** One step of the initial seeding for a connection it rations; then the HAVEs it decided. */
    private void seedingStep(Connection c,
            Function<InitialSeeding<Connection>, List<InitialSeeding.Reveal<Connection>>> step) {
        if (!c.seeded) {
            return;
        }
        for (InitialSeeding.Reveal<Connection> reveal : step.apply(seeding.orElseThrow())) {
            network.toDownloader(reveal.peer(), new Message.Have(reveal.index()));
        }
    }
}
