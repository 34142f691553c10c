package dev.kadshare.transfer.serving;

import dev.kadshare.transfer.PeerUpload;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves one content to every connection that asks for it, as an I/O-free state machine: {@link #handle} takes a
 * {@link HubEvent} (a session joined with HELLO, asked for the manifest or a chunk, cancelled, wrote a chunk, filled
 * or drained its outbound buffer, left; a timer fired; this node's download gained a chunk, heard what a peer holds,
 * is moving its files) and returns the {@link HubAction}s it calls for (send HELLO, BITFIELD, HAVE, PEERS, CHOKE,
 * UNCHOKE, REJECT, the manifest or a chunk; say GOODBYE; close; a timer; new upload counts). It owns everything the
 * content's sessions share: the {@link UploadSlots}, the {@link InitialSeeding}, the {@link PeerExchange}, what peers
 * are known to hold ({@link PeerHoldings}), the bytes sent per peer ({@link UploadCounts}) and the {@link LocalCopy}
 * it serves from. Time comes from an injected clock (the upload limits are reserved at its time); it makes no random
 * choice. Not thread-safe: one owner calls it (an event loop, a simulation's event queue).
 *
 * <p>Requests wait here, in a bounded queue per session, and a chunk is handed to a session only while its
 * connection can take it, the upload limits are out of debt and the hub has fewer than {@link #MAX_UNWRITTEN} chunks
 * handed and not yet written (over all its sessions): a queued chunk stays cancellable and a CHOKE drops it, while a
 * handed one is bound to go. The sessions with something to send take turns, the one served least recently first.
 */
public final class ServingHub {
    /** More queued requests than any sane pipeline needs: beyond this a peer is flooding. */
    public static final int MAX_QUEUED_REQUESTS = 256;
    /**
     * Chunks handed and not yet written, over all the hub's sessions: two, so the next is on its way while one is
     * written. Per hub, not per session: a handed chunk can no longer be cancelled, and the sessions share one upload,
     * so a depth per session would put a queue of chunks that go whatever the peers say next ahead of each request.
     */
    public static final int MAX_UNWRITTEN = 2;
    /** Chunks an initial seeder reveals ahead of sending them: enough to keep its upload busy over a round trip. */
    static final int INITIAL_SEEDING_UNSENT = 4;
    /**
     * An initial-seeding reveal a peer does not ask for within this long goes to another peer: an honest downloader
     * asks within a round trip, or a few while its pipeline is full; a silent connection would hold the chunk for ever.
     */
    static final Duration REVEAL_TIMEOUT = Duration.ofSeconds(5);

    /** One connection's state. */
    private static final class Session {
        final SessionId id;
        final PeerId node;
        final InetSocketAddress remote;
        final Deque<Integer> queued = new ArrayDeque<>();
        /** Not served for now: another connection holds the upload slot. */
        boolean choked;
        /** Joined while the content was seeded initially: what it is told is the seeding's choice; no slot. */
        boolean seeded;
        boolean writable = true;
        /** Chunks handed to the session and not yet reported written: part of the hub's {@link #unwritten()}. */
        int unwritten;
        /** When it was last handed a chunk, in chunks handed by this hub; 0 = never. */
        long lastTurn;

        Session(SessionId id, PeerId node, InetSocketAddress remote) {
            this.id = id;
            this.node = node;
            this.remote = remote;
        }

        boolean canTake() {
            return writable && !queued.isEmpty();
        }
    }

    private final HubSettings settings;
    private final LocalCopy copy;
    private final Manifest manifest;
    private final ContentId contentId;
    private final PeerHoldings holdings;
    private final InstantSource clock;
    private final Map<SessionId, Session> sessions = new LinkedHashMap<>();
    private final UploadSlots<SessionId> slots;
    private final PeerExchange<SessionId> exchange = new PeerExchange<>();
    private final UploadCounts counts = new UploadCounts();
    private Optional<InitialSeeding<SessionId>> seeding = Optional.empty();
    /** The slot rotation timer is armed. */
    private boolean rotating;
    /** The upload limits are in debt and a timer is armed for when they are not. */
    private boolean throttled;
    /** A timer is armed for the initial seeding's next reveal to expire. */
    private boolean expiryArmed;
    private long chunksHanded;
    /** The actions of the event being handled (a fresh list each time: the last one was handed out). */
    private List<HubAction> out = new ArrayList<>();
    private boolean countsChanged;

    /**
     * @param copy what is served, from where; the hub owns it from now on
     * @param holdings what this node's download heard peers hold so far; the hub owns it from now on
     * @param clock the time the upload limits are reserved at; read, never waited on
     */
    public ServingHub(HubSettings settings, LocalCopy copy, PeerHoldings holdings, InstantSource clock) {
        this.settings = settings;
        this.copy = copy;
        this.manifest = copy.manifest();
        this.contentId = manifest.contentId();
        this.holdings = holdings;
        this.clock = clock;
        this.slots = new UploadSlots<>(settings.uploadSlots());
        if (settings.seedInitially()) {
            seedInitially();
        }
    }

    public ContentId contentId() {
        return contentId;
    }

    /** Takes one event and returns what it calls for, in order. */
    public List<HubAction> handle(HubEvent event) {
        out = new ArrayList<>();
        countsChanged = false;
        if (event instanceof HubEvent.Requested r) {
            session(r.session()).ifPresent(s -> onRequested(s, r.index()));
        } else if (event instanceof HubEvent.ChunkWritten w) {
            session(w.session()).ifPresent(s -> {
                written(s);
                s.writable = w.writable();
                handAll(); // the freed place goes to whoever was served least recently, not back to s
            });
        } else if (event instanceof HubEvent.WritabilityChanged w) {
            session(w.session()).ifPresent(s -> {
                s.writable = w.writable();
                hand(s);
            });
        } else if (event instanceof HubEvent.Cancelled c) {
            session(c.session()).ifPresent(s -> onCancelled(s, c.index()));
        } else if (event instanceof HubEvent.ChunkAdded added) {
            onChunkAdded(added.index());
        } else if (event instanceof HubEvent.PeerHoldsChunk holds) {
            holdings.holds(holds.node(), holds.index());
        } else if (event instanceof HubEvent.PeerHolds holds) {
            holdings.holdsAll(holds.node(), holds.chunks());
        } else {
            handleRare(event);
        }
        armRevealExpiry();
        if (countsChanged) {
            out.add(new HubAction.PublishUploads());
        }
        return out;
    }

    /** The events that come once per connection, timer or move, not once per chunk. */
    private void handleRare(HubEvent event) {
        if (event instanceof HubEvent.Joined joined) {
            onJoined(joined);
        } else if (event instanceof HubEvent.ManifestRequested m) {
            session(m.session()).ifPresent(s -> send(s, new Message.ManifestData(manifest.canonicalBytes())));
        } else if (event instanceof HubEvent.Left left) {
            session(left.session()).ifPresent(this::remove);
        } else if (event instanceof HubEvent.ChunkUnreadable unreadable) {
            session(unreadable.session()).ifPresent(s -> {
                written(s);
                counts.takeBack(s.node, s.remote, manifest.chunkLength(unreadable.index())); // counted when handed out
                countsChanged = true;
                out.add(new HubAction.Goodbye(s.id, "chunk " + unreadable.index() + " is not available"));
                remove(s);
            });
        } else if (event instanceof HubEvent.TimerFired fired) {
            onTimer(fired.timer());
        } else if (event instanceof HubEvent.Moving) {
            copy.moving();
        } else if (event instanceof HubEvent.MovedTo moved) {
            copy.movedTo(moved.root());
            handAll();
        } else if (event instanceof HubEvent.SeedInitially) {
            // Only while nothing went out yet: once a chunk did, this node is not the only holder any more.
            if (seeding.isEmpty() && counts.total() == 0 && copy.isComplete()) {
                seedInitially();
            }
        }
    }

    /** Bytes uploaded per peer so far. */
    public List<PeerUpload> uploads() {
        return counts.peers();
    }

    /** Where the content lies complete (every chunk held, not being moved); empty while it does not. */
    public Optional<Path> completeAt() {
        return copy.isComplete() && !copy.isMoving() ? Optional.of(copy.root()) : Optional.empty();
    }

    // ---- sessions ----

    private void onJoined(HubEvent.Joined joined) {
        if (sessions.containsKey(joined.session())) {
            return;
        }
        Session s = new Session(joined.session(), joined.node(), joined.remote());
        sessions.put(s.id, s);
        send(s, new Message.Hello(FrameCodec.PROTOCOL_VERSION, contentId));
        BitSet bitfield;
        // Once every chunk went out, a newcomer is served as by any seeder: full BITFIELD, upload slots.
        if (seeding.isPresent() && !seeding.get().isOver()) {
            s.seeded = true;
            bitfield = seeding.get().peerJoined(s.id);
        } else {
            bitfield = copy.held();
        }
        send(s, Message.Bitfield.of(bitfield));
        PeerExchange.Joined<SessionId> exchanged = exchange.join(s.id, joined.serving());
        if (!exchanged.others().isEmpty()) {
            send(s, Message.Peers.of(exchanged.others()));
        }
        joined.serving().ifPresent(address -> exchanged.toTell().forEach(other ->
                session(other).ifPresent(o -> send(o, Message.Peers.of(List.of(address))))));
        // The reveals of an initial seeding ration the upload (a few chunks asked at a time): no slot needed.
        if (!s.seeded && !slots.join(s.id)) {
            s.choked = true;
            send(s, new Message.Choke());
        }
        if (!rotating) {
            rotating = true;
            out.add(new HubAction.Schedule(new HubTimer.RotateSlots(), settings.slotRotation()));
        }
    }

    private void onRequested(Session s, int index) {
        if (index < 0 || index >= manifest.chunkCount()) {
            send(s, new Message.Reject(index, "no chunk " + index + " in " + manifest.chunkCount()));
        } else if (s.choked) {
            send(s, new Message.Reject(index, "choked"));
        } else if (!copy.holds(index)) {
            send(s, new Message.Reject(index, "chunk " + index + " not held yet"));
        } else if (s.seeded && !seeding.map(sd -> sd.mayHave(s.id, index)).orElse(true)) {
            send(s, new Message.Reject(index, "chunk " + index + " not revealed yet; one out of turn at a time"));
        } else if (s.queued.size() >= MAX_QUEUED_REQUESTS) {
            out.add(new HubAction.Close(s.id, "more than " + MAX_QUEUED_REQUESTS + " requests queued"));
            remove(s);
        } else {
            if (!s.seeded) {
                slots.requested(s.id); // the slot is in use
            }
            s.queued.add(index);
            if (s.seeded) {
                seeding.ifPresent(sd -> reveal(sd.requested(s.id, index)));
            }
            hand(s);
        }
    }

    private void onCancelled(Session s, int index) {
        // Chunks already handed to the session are on their way: nothing to take back.
        if (s.queued.remove(Integer.valueOf(index))) {
            seeding.ifPresent(sd -> reveal(sd.requestDropped(s.id, index)));
        }
    }

    /** The session is gone (closed, or being closed): its slot, its reveals and its place in the exchange go. */
    private void remove(Session s) {
        sessions.remove(s.id);
        boolean heldPlaces = s.unwritten > 0; // its chunks not yet written go with its connection
        s.queued.clear();
        seeding.ifPresent(sd -> reveal(sd.peerLeft(s.id)));
        apply(slots.leave(s.id));
        exchange.leave(s.id);
        if (heldPlaces) {
            handAll();
        }
    }

    private void onChunkAdded(int index) {
        if (!copy.add(index)) {
            return;
        }
        for (Session s : sessions.values()) {
            // No HAVE for a chunk this node's own download has heard the peer holds (over the link the other way).
            if (!holdings.isHeldBy(s.node, index)) {
                send(s, new Message.Have(index));
            }
        }
    }

    private void onTimer(HubTimer timer) {
        if (timer instanceof HubTimer.RotateSlots) {
            rotating = false;
            if (!sessions.isEmpty()) {
                apply(slots.rotate());
                rotating = true;
                out.add(new HubAction.Schedule(timer, settings.slotRotation()));
            }
        } else if (timer instanceof HubTimer.RevealsExpire) {
            expiryArmed = false;
            seeding.ifPresent(sd -> reveal(sd.expire()));
        } else if (timer instanceof HubTimer.LimitsFree) {
            throttled = false;
            handAll();
        }
    }

    private void apply(List<UploadSlots.Change<SessionId>> changes) {
        for (UploadSlots.Change<SessionId> change : changes) {
            session(change.member()).ifPresent(s -> {
                s.choked = change instanceof UploadSlots.Change.Choked<SessionId>;
                if (s.choked) {
                    s.queued.clear(); // the peer treats its outstanding requests as cancelled
                }
                send(s, s.choked ? new Message.Choke() : new Message.Unchoke());
            });
        }
    }

    private void seedInitially() {
        seeding = Optional.of(new InitialSeeding<>(manifest.chunkCount(), INITIAL_SEEDING_UNSENT, REVEAL_TIMEOUT, clock));
    }

    /** While reveals wait to be asked for, a timer is armed for the oldest: silent peers must not hold them. */
    private void armRevealExpiry() {
        if (expiryArmed || seeding.isEmpty()) {
            return;
        }
        seeding.get().nextExpiry().ifPresent(at -> {
            expiryArmed = true;
            Duration after = Duration.between(clock.instant(), at);
            out.add(new HubAction.Schedule(new HubTimer.RevealsExpire(), after.isNegative() ? Duration.ZERO : after));
        });
    }

    /** The initial seeding's HAVEs. */
    private void reveal(List<InitialSeeding.Reveal<SessionId>> reveals) {
        for (InitialSeeding.Reveal<SessionId> r : reveals) {
            session(r.peer()).ifPresent(s -> send(s, new Message.Have(r.index())));
        }
    }

    // ---- handing out chunks ----

    private void written(Session s) {
        if (s.unwritten > 0) {
            s.unwritten--;
        }
    }

    /** True while the hub may hand out a chunk at all. */
    private boolean mayHand() {
        return !throttled && !copy.isMoving() && unwritten() < MAX_UNWRITTEN;
    }

    /** Chunks handed and not yet reported written, over the sessions still here (a gone one's went with it). */
    private int unwritten() {
        int n = 0;
        for (Session s : sessions.values()) {
            n += s.unwritten;
        }
        return n;
    }

    /** Hands {@code s} its queued chunks while its connection can take them and the limits allow. */
    private void hand(Session s) {
        while (mayHand() && s.canTake() && handOne(s)) {
            // one chunk per turn
        }
    }

    /** Hands out every queued chunk that can go, one at a time to the session served least recently. */
    private void handAll() {
        while (mayHand()) {
            Session next = null;
            for (Session s : sessions.values()) {
                if (s.canTake() && (next == null || s.lastTurn < next.lastTurn)) {
                    next = s;
                }
            }
            if (next == null || !handOne(next)) {
                return;
            }
        }
    }

    /**
     * Hands {@code s} its next queued chunk if the upload limits are out of debt; otherwise takes nothing, asks for a
     * timer for when they will be, and returns false. Deciding only once the chunk can go keeps it cancellable.
     */
    private boolean handOne(Session s) {
        int index = s.queued.peek();
        int length = manifest.chunkLength(index);
        long wait = TokenBucket.tryReserveAll(settings.buckets(), length, TokenBucket.nanosOf(clock.instant()));
        if (wait > 0) {
            throttled = true;
            out.add(new HubAction.Schedule(new HubTimer.LimitsFree(), Duration.ofNanos(wait)));
            return false;
        }
        s.queued.poll();
        s.unwritten++;
        s.lastTurn = ++chunksHanded;
        out.add(new HubAction.SendChunk(s.id, index, length, copy.root(), copy.spans(index), copy.reads()));
        counts.count(s.node, s.remote, length);
        countsChanged = true;
        seeding.ifPresent(sd -> reveal(sd.chunkSent(s.id, index)));
        return true;
    }

    private Optional<Session> session(SessionId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    private void send(Session s, Message message) {
        out.add(new HubAction.Send(s.id, message));
    }
}
