package dev.kadshare.transfer.netty;

import dev.kadshare.net.MonotonicClock;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.Uploads;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.serving.HubEvent;
import dev.kadshare.transfer.serving.HubSettings;
import dev.kadshare.transfer.serving.LocalCopy;
import dev.kadshare.transfer.serving.PeerHoldings;
import dev.kadshare.transfer.serving.ServingHub;
import dev.kadshare.transfer.serving.SessionId;
import dev.kadshare.transfer.store.ContentStamps;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The hubs of one server, one per content id: a session that says HELLO for a content joins its hub, made on first
 * use. A complete share's hub runs on the loop of the session that first asked for it; a download's partial content
 * is served by its own hub, on the download's loop, which goes on serving it once the download moved it into place.
 * Thread-safe: sessions on every loop of the server look hubs up here.
 */
public final class ServingHubs {
    private final TransferLimits limits;
    private final Uploads uploads;
    private final MonotonicClock clock;
    private final BiConsumer<ContentId, ContentStamps> changed;
    /** Every upload of the node is taken from it. */
    private final TokenBucket nodeUpload;
    private final Map<ContentId, NettyServingHub> hubs = new ConcurrentHashMap<>();
    /** Shared by every hub a content has had, so its limit holds across them. */
    private final Map<ContentId, TokenBucket> perContent = new ConcurrentHashMap<>();
    /** Contents to seed initially whose hub is not made yet. */
    private final Set<ContentId> toSeed = ConcurrentHashMap.newKeySet();
    private final AtomicLong hubSerials = new AtomicLong();
    private final AtomicLong sessionSerials = new AtomicLong();

    /**
     * @param uploads where the hubs publish their upload counts
     * @param clock the hubs' clock, and their upload limits'
     * @param changed told (from a hub's loop) of a complete content a file of which changed since it was stamped as
     *     given: its hub serves none of it any more ({@link dev.kadshare.transfer.ContentSource#changed})
     */
    public ServingHubs(TransferLimits limits, Uploads uploads, MonotonicClock clock,
            BiConsumer<ContentId, ContentStamps> changed) {
        this.changed = changed;
        this.limits = limits;
        this.uploads = uploads;
        this.clock = clock;
        this.nodeUpload = TokenBucket.perSecond(limits.nodeUploadBytesPerSecond(), clock::nanos);
    }

    /**
     * The hub to serve {@code served} (what the content source gave for {@code id} just now) to a session on {@code
     * loop}: the content's hub if it serves that, else a new one, which the content's next sessions join.
     */
    NettyServingHub hubFor(ContentId id, ServedContent served, EventLoop loop) {
        return hubs.compute(id, (k, hub) -> {
            if (hub != null && hub.serves(served)) {
                hub.stampedAs(served.stamps());
                return hub;
            }
            return make(id, served, loop);
        });
    }

    /** {@code id}'s files were stamped as {@code stamps}: its hub, if there is one, checks them from now on. */
    public void stamped(ContentId id, ContentStamps stamps) {
        NettyServingHub hub = hubs.get(id);
        if (hub != null) {
            hub.stampedAs(stamps);
        }
    }

    /** A name for a new session. */
    SessionId newSession() {
        return new SessionId(sessionSerials.incrementAndGet());
    }

    /**
     * Serve {@code id}, which this node holds complete and nobody else does yet (it just shared it), by initial
     * seeding: each chunk is revealed to one connection at a time, so no chunk goes out twice before every chunk
     * went out once.
     */
    public void seedInitially(ContentId id) {
        hubs.compute(id, (k, hub) -> {
            if (hub == null) {
                toSeed.add(id);
            } else {
                hub.post(new HubEvent.SeedInitially());
            }
            return hub;
        });
    }

    private NettyServingHub make(ContentId id, ServedContent served, EventLoop loop) {
        if (served.home().isPresent()) {
            return served.hub(() -> new NettyServingHub(id, hubSerials.incrementAndGet(), served.home().get(),
                    uploads, served, changed, events -> served.takeOver(events,
                            (copy, holdings) -> new ServingHub(settings(id), copy, holdings, clock))));
        }
        LocalCopy copy = LocalCopy.complete(served.manifest(), served.naming(), served.root());
        PeerHoldings holdings = new PeerHoldings(served.manifest().chunkCount());
        HubSettings settings = settings(id);
        return new NettyServingHub(id, hubSerials.incrementAndGet(), loop, uploads, served, changed,
                events -> new ServingHub(settings, copy, holdings, clock));
    }

    private HubSettings settings(ContentId id) {
        return new HubSettings(limits.uploadSlotsPerContent(), limits.slotRotation(), bucketsFor(id),
                toSeed.remove(id));
    }

    /** The buckets every chunk of {@code id} is taken from. */
    private List<TokenBucket> bucketsFor(ContentId id) {
        if (limits.perContentUploadBytesPerSecond() == 0) {
            return List.of(nodeUpload);
        }
        return List.of(nodeUpload, perContent.computeIfAbsent(id,
                k -> TokenBucket.perSecond(limits.perContentUploadBytesPerSecond(), clock::nanos)));
    }
}
