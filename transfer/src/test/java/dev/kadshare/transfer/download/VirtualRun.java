package dev.kadshare.transfer.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.disk.ChunkStoreDisk;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Runs one {@link Download} in virtual time on the test's own thread: scripted peers answer what it sends at once
 * (no latency unless they hold back), its store jobs run on a {@link ChunkStoreDisk} in a temporary directory with
 * every result queued for the same thread, and its timers fire as the test moves the clock. No socket, no thread,
 * no sleep: a run is a pure function of the script. It models what the Netty adapter does: a link opens or is
 * refused, reading stops while paused, a link is idle when nothing arrived for the idle timeout.
 */
final class VirtualRun {
    /** A peer as a test scripts it: told of every message the download sends it. */
    interface ScriptedPeer {
        /** False for an address nobody listens at: a dial is refused. */
        default boolean listening() {
            return true;
        }

        void onMessage(Message message, Replies replies);
    }

    /** What a scripted peer can do on the link at hand. */
    interface Replies {
        void send(Message message);

        void chunk(int index, ByteBuffer bytes);

        /** The peer hangs up. */
        void close();

        /** Does {@code action} once {@code after} of virtual time has passed: a peer far away, or slow. */
        void later(Duration after, Runnable action);

        Link link();
    }

    /** A clock the run moves; nanoseconds since the epoch. */
    static final class Clock implements InstantSource {
        private long nanos;

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanos);
        }

        long nanos() {
            return nanos;
        }
    }

    /** A chunk body that counts its frees: each must be freed exactly once. */
    static final class Body implements ChunkBody {
        private final ByteBuffer bytes;
        int frees;

        Body(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        @Override
        public int length() {
            return bytes.remaining();
        }

        @Override
        public ByteBuffer data() {
            return bytes.duplicate();
        }

        @Override
        public void free() {
            frees++;
        }
    }

    private record Due(long at, long seq, Runnable task) {
    }

    private final class Connection implements Replies {
        final Link link;
        final ScriptedPeer peer;
        boolean paused;
        /** Nothing more arrives. */
        boolean closed;
        /** Closed by the download: what arrived and waits to be read is lost with the connection. */
        boolean discarded;
        long lastHeard;
        final ArrayDeque<DownloadEvent> held = new ArrayDeque<>();

        Connection(Link link, ScriptedPeer peer) {
            this.link = link;
            this.peer = peer;
        }

        @Override
        public void send(Message message) {
            arrive(this, new DownloadEvent.Received(link, message));
        }

        @Override
        public void chunk(int index, ByteBuffer bytes) {
            Body body = new Body(bytes.duplicate());
            bodies.add(body);
            arrive(this, new DownloadEvent.ChunkReceived(link, index, body));
        }

        @Override
        public void close() {
            hangUp(this, false);
        }

        @Override
        public void later(Duration after, Runnable action) {
            at(clock.nanos + after.toNanos(), action);
        }

        @Override
        public Link link() {
            return link;
        }
    }

    final Clock clock;
    final Download download;
    private final Duration idleTimeout;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final PriorityQueue<Due> timers = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;
    private final Map<InetSocketAddress, ScriptedPeer> network = new HashMap<>();
    private final Map<InetSocketAddress, dev.kadshare.transfer.content.PeerId> provenIds = new HashMap<>();
    private final Map<Link, Connection> open = new HashMap<>();
    private Disk disk;
    /** Every action, in order. */
    final List<DownloadAction> actions = new ArrayList<>();
    /** Every message sent, with the link it went on. */
    final List<Map.Entry<Link, Message>> sent = new ArrayList<>();
    final List<Link> dials = new ArrayList<>();
    final List<Body> bodies = new ArrayList<>();
    Optional<Path> finished = Optional.empty();
    Optional<String> failed = Optional.empty();
    int stops;

    VirtualRun(ContentId id, DownloadOptions options, Path outDir) {
        this(id, options, outDir, new Clock());
    }

    /** On {@code clock}, which the test may also give to what it passes in (a rate limit, say). */
    VirtualRun(ContentId id, DownloadOptions options, Path outDir, Clock clock) {
        this.clock = clock;
        this.download = new Download(id, options, clock, new SplittableRandom(1));
        this.idleTimeout = options.idleTimeout();
        this.disk = new ChunkStoreDisk(id, outDir, Runnable::run, queue::add, this::handle);
    }

    /** The address of scripted peer {@code n}: loopback, and never dialled for real. */
    static InetSocketAddress address(int n) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 20_000 + n);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Puts {@code peer} at {@code address}: dials there reach it from now on. */
    VirtualRun peer(InetSocketAddress address, ScriptedPeer peer) {
        network.put(address, peer);
        return this;
    }

    /** A scripted peer whose link proves it is node {@code proven}. */
    VirtualRun peer(InetSocketAddress address, dev.kadshare.transfer.content.PeerId proven, ScriptedPeer peer) {
        provenIds.put(address, proven);
        return peer(address, peer);
    }

    /** Wraps the disk, e.g. to fail or hold back some jobs. */
    VirtualRun disk(java.util.function.UnaryOperator<Disk> wrap) {
        disk = wrap.apply(disk);
        return this;
    }

    /** Queues {@code event} for the download's thread, as a disk posts its results. */
    void post(DownloadEvent event) {
        queue.add(() -> handle(event));
    }

    void deliver(DownloadEvent event) {
        queue.add(() -> handle(event));
        drain();
    }

    void start(InetSocketAddress... peers) {
        deliver(new DownloadEvent.Start(List.of(peers)));
    }

    /** Runs queued work and timers until {@code done}, or until {@code limit} of virtual time has passed. */
    void runUntil(BooleanSupplier done, Duration limit) {
        drain();
        long end = clock.nanos + limit.toNanos();
        while (!done.getAsBoolean() && !timers.isEmpty() && timers.peek().at() <= end) {
            Due next = timers.poll();
            clock.nanos = Math.max(clock.nanos, next.at());
            next.task().run();
            drain();
        }
        if (!done.getAsBoolean()) {
            clock.nanos = Math.max(clock.nanos, end);
        }
    }

    /** Moves the clock on by {@code d}, firing every timer due meanwhile. */
    void advance(Duration d) {
        runUntil(() -> false, d);
    }

    /** Runs until the download has finished, failed or been cancelled, within ten virtual minutes. */
    void runToEnd() {
        runUntil(download::isOver, Duration.ofMinutes(10));
        assertTrue(download.isOver(), "over within ten virtual minutes: " + download.progress());
    }

    private void drain() {
        for (int steps = 0; !queue.isEmpty(); steps++) {
            if (steps > 10_000_000) {
                fail("the download never settles");
            }
            queue.poll().run();
        }
    }

    private void handle(DownloadEvent event) {
        for (DownloadAction action : download.handle(event)) {
            actions.add(action);
            act(action);
        }
    }

    private void act(DownloadAction action) {
        if (action instanceof DownloadAction.Dial dial) {
            dials.add(dial.link());
            ScriptedPeer peer = network.get(dial.link().peer());
            if (peer == null || !peer.listening()) {
                queue.add(() -> handle(new DownloadEvent.LinkClosed(dial.link())));
            } else {
                Connection c = new Connection(dial.link(), peer);
                open.put(dial.link(), c);
                c.lastHeard = clock.nanos;
                // the id the link's handshake would prove: a scripted seeder's own
                dev.kadshare.transfer.content.PeerId proven = peer instanceof Seeder seeder ? seeder.nodeId
                        : provenIds.getOrDefault(dial.link().peer(), dev.kadshare.transfer.content.PeerId.UNKNOWN);
                queue.add(() -> handle(new DownloadEvent.Connected(dial.link(), proven)));
                watchIdle(c, idleTimeout.toNanos());
            }
        } else if (action instanceof DownloadAction.Send send) {
            Connection c = open.get(send.link());
            if (c != null) {
                sent.add(Map.entry(send.link(), send.message()));
                c.peer.onMessage(send.message(), c);
            }
        } else if (action instanceof DownloadAction.CloseLink close) {
            Optional.ofNullable(open.get(close.link())).ifPresent(c -> hangUp(c, true));
        } else if (action instanceof DownloadAction.PauseReading pause) {
            Optional.ofNullable(open.get(pause.link())).ifPresent(c -> c.paused = true);
        } else if (action instanceof DownloadAction.ResumeReading resume) {
            Optional.ofNullable(open.get(resume.link())).ifPresent(c -> {
                c.paused = false;
                while (!c.held.isEmpty()) {
                    DownloadEvent e = c.held.poll();
                    queue.add(() -> handle(e));
                }
            });
        } else if (action instanceof DownloadAction.Store store) {
            disk.submit(store.job());
        } else if (action instanceof DownloadAction.Schedule schedule) {
            at(clock.nanos + schedule.after().toNanos(),
                    () -> queue.add(() -> handle(new DownloadEvent.TimerFired(schedule.timer()))));
        } else if (action instanceof DownloadAction.Finished f) {
            assertTrue(finished.isEmpty() && failed.isEmpty(), "one end only");
            finished = Optional.of(f.path());
        } else if (action instanceof DownloadAction.Failed f) {
            assertTrue(finished.isEmpty() && failed.isEmpty(), "one end only");
            failed = Optional.of(f.reason());
        } else if (action instanceof DownloadAction.Stopped) {
            stops++;
        }
    }

    private void at(long nanos, Runnable task) {
        timers.add(new Due(nanos, seq++, task));
    }

    /** As an {@code IdleStateHandler}: the link is idle each time nothing arrived for the idle timeout. */
    private void watchIdle(Connection c, long after) {
        at(clock.nanos + after, () -> {
            if (c.closed) {
                return;
            }
            long silent = clock.nanos - c.lastHeard;
            if (silent >= idleTimeout.toNanos()) {
                c.lastHeard = clock.nanos;
                queue.add(() -> handle(new DownloadEvent.LinkIdle(c.link)));
                watchIdle(c, idleTimeout.toNanos());
            } else {
                watchIdle(c, idleTimeout.toNanos() - silent);
            }
        });
    }

    private void arrive(Connection c, DownloadEvent event) {
        if (c.closed) {
            if (event instanceof DownloadEvent.ChunkReceived chunk) {
                chunk.body().free(); // as Netty releases what a closed channel still held
            }
            return;
        }
        c.lastHeard = clock.nanos;
        if (c.paused) {
            c.held.add(event);
        } else {
            queue.add(() -> {
                if (c.discarded) {
                    if (event instanceof DownloadEvent.ChunkReceived chunk) {
                        chunk.body().free();
                    }
                    return;
                }
                handle(event);
            });
        }
    }

    /** The connection closes: by the download ({@code byUs}), or by the peer after all it sent is read. */
    private void hangUp(Connection c, boolean byUs) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        c.discarded = byUs;
        open.remove(c.link);
        for (DownloadEvent e : c.held) {
            if (e instanceof DownloadEvent.ChunkReceived chunk) {
                chunk.body().free();
            }
        }
        c.held.clear();
        queue.add(() -> handle(new DownloadEvent.LinkClosed(c.link)));
    }

    // ---- what a test looks at ----

    /** The messages sent on links to {@code peer}, of type {@code type}. */
    <M extends Message> List<M> sentTo(InetSocketAddress peer, Class<M> type) {
        return sent.stream().filter(e -> e.getKey().peer().equals(peer)).map(Map.Entry::getValue)
                .filter(type::isInstance).map(type::cast).toList();
    }

    <A extends DownloadAction> List<A> actions(Class<A> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    PeerProgress peer(InetSocketAddress address) {
        return download.progress().peers().stream().filter(p -> p.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " not among " + download.progress().peers()));
    }

    /** Every chunk body was freed exactly once, and the download let go of its store exactly once. */
    void assertTidy() {
        for (Body b : bodies) {
            assertEquals(1, b.frees, "a chunk body freed exactly once");
        }
        assertEquals(1, stops, "stopped exactly once");
        assertFalse(open.values().stream().anyMatch(c -> !c.closed), "no link left open");
    }

    /** Content for a test: a manifest and the bytes it describes. */
    record Content(Manifest manifest, byte[] bytes) {
        static Content random(String name, int length, int chunkSize, long seed) {
            byte[] bytes = new byte[length];
            new java.util.Random(seed).nextBytes(bytes);
            return of(name, bytes, chunkSize);
        }

        static Content of(String name, byte[] bytes, int chunkSize) {
            return new Content(Manifest.of(name, bytes.length, chunkSize, hashes(bytes, chunkSize)), bytes);
        }

        static List<byte[]> hashes(byte[] bytes, int chunkSize) {
            List<byte[]> hashes = new ArrayList<>();
            for (int offset = 0; offset < bytes.length; offset += chunkSize) {
                hashes.add(Sha256.of(java.util.Arrays.copyOfRange(bytes, offset,
                        Math.min(bytes.length, offset + chunkSize))));
            }
            return hashes;
        }

        ContentId id() {
            return manifest.contentId();
        }

        ByteBuffer chunk(int index) {
            return ByteBuffer.wrap(bytes, (int) manifest.chunkOffset(index), manifest.chunkLength(index)).slice();
        }

        BitSet all() {
            BitSet all = new BitSet();
            all.set(0, manifest.chunkCount());
            return all;
        }
    }

    /**
     * An honest peer serving {@code content}, as a server does: HELLO, BITFIELD, the manifest, every chunk asked
     * for. Its knobs make it less honest.
     */
    static final class Seeder implements ScriptedPeer {
        final Content content;
        dev.kadshare.transfer.content.PeerId nodeId = dev.kadshare.transfer.content.PeerId.UNKNOWN;
        byte[] manifestBytes;
        Optional<BitSet> holds;
        /** Chunks it sends corrupted: one byte flipped. */
        Predicate<Integer> corrupts = i -> false;
        /** Requests it never answers. */
        Predicate<Integer> ignores = i -> false;
        /** It hangs up at the request after this many answered. */
        int answersBeforeHangingUp = Integer.MAX_VALUE;
        /** How long it takes to answer a request. */
        Duration latency = Duration.ZERO;
        /** Sent right after its HELLO (and BITFIELD). */
        List<Message> afterHello = List.of();
        BiConsumer<Message, Replies> otherwise = (m, r) -> { };
        final List<Integer> requested = new ArrayList<>();
        int answered;
        int hellos;

        Seeder(Content content) {
            this.content = content;
            this.manifestBytes = content.manifest().canonicalBytes();
            this.holds = Optional.of(content.all());
        }

        @Override
        public void onMessage(Message message, Replies replies) {
            if (message instanceof Message.Hello) {
                hellos++;
                replies.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
                holds.ifPresent(h -> replies.send(Message.Bitfield.of(h)));
                afterHello.forEach(replies::send);
            } else if (message instanceof Message.ManifestRequest) {
                replies.send(new Message.ManifestData(manifestBytes));
            } else if (message instanceof Message.Request r) {
                requested.add(r.index());
                if (ignores.test(r.index())) {
                    return;
                }
                if (answered >= answersBeforeHangingUp) {
                    replies.close();
                    return;
                }
                answered++;
                ByteBuffer chunk = content.chunk(r.index());
                if (corrupts.test(r.index())) {
                    ByteBuffer bad = ByteBuffer.allocate(chunk.remaining()).put(chunk.duplicate()).flip();
                    bad.put(0, (byte) (bad.get(0) ^ 0x5A));
                    chunk = bad;
                }
                ByteBuffer answer = chunk;
                if (latency.isZero()) {
                    replies.chunk(r.index(), answer);
                } else {
                    replies.later(latency, () -> replies.chunk(r.index(), answer));
                }
            } else {
                otherwise.accept(message, replies);
            }
        }
    }
}
