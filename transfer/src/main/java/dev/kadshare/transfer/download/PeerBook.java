package dev.kadshare.transfer.download;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The peers one download knows of and its links to them: which to dial while connections are free
 * ({@link DownloadOptions#maxPeers}), how many to remember, when to dial one again. Event-loop confined.
 */
final class PeerBook {
    /**
     * A peer that says GOODBYE is dialled again this many times, 1, 2, 4... s later: a peer named by peer exchange
     * or the DHT may be a downloader that does not serve the content yet (its manifest is on its way).
     */
    private static final int REDIALS = 4;
    private static final long FIRST_REDIAL_MILLIS = 1000;
    /**
     * Peers one download knows of at most: PEERS may name any number, and each would cost memory and a dial.
     * When full, a new address takes the place of the oldest that was dialled and never answered.
     */
    static final int MAX_KNOWN_PEERS = 1000;

    private final Map<InetSocketAddress, PeerRecord> peers = new LinkedHashMap<>();
    private final EventLoop loop;
    private final int maxPeers;
    private final Dialer dialer;
    private final BooleanSupplier over;
    private final Consumer<InetSocketAddress> dialling;
    private final Consumer<InetSocketAddress> forgotten;

    /**
     * @param over true once the download is over: nothing is dialled after
     * @param dialling told of every peer as it is dialled
     * @param forgotten told of every peer forgotten to make room for a newer one
     */
    PeerBook(EventLoop loop, int maxPeers, Dialer dialer, BooleanSupplier over, Consumer<InetSocketAddress> dialling,
            Consumer<InetSocketAddress> forgotten) {
        this.loop = loop;
        this.maxPeers = maxPeers;
        this.dialer = dialer;
        this.over = over;
        this.dialling = dialling;
        this.forgotten = forgotten;
    }

    /**
     * Learns of {@code addresses} (a closed one becomes a candidate again) and dials as connections allow; true if
     * any was news.
     */
    boolean add(Collection<InetSocketAddress> addresses) {
        boolean news = false;
        for (InetSocketAddress address : addresses) {
            PeerRecord known = peers.get(address);
            if (known == null) {
                if (peers.size() < MAX_KNOWN_PEERS || forgetOneUnanswered()) {
                    peers.put(address, new PeerRecord(address));
                    news = true;
                }
            } else if (known.state == LinkState.CLOSED) {
                known.state = LinkState.CANDIDATE;
                news = true;
            }
        }
        if (news) { // in a big swarm most PEERS name peers already known
            connectCandidates();
        }
        return news;
    }

    /** Forgets the oldest peer that was dialled and never answered; false if there is none. */
    private boolean forgetOneUnanswered() {
        for (PeerRecord p : peers.values()) {
            if (p.state == LinkState.CLOSED && !p.everReady && p.goodbyes == 0) {
                peers.remove(p.address);
                forgotten.accept(p.address);
                return true;
            }
        }
        return false;
    }

    /** The record of {@code address}, or null if it is not known. */
    PeerRecord get(InetSocketAddress address) {
        return peers.get(address);
    }

    /** The open (or opening) connection to {@code address}, if any. */
    Optional<Channel> channel(InetSocketAddress address) {
        return Optional.ofNullable(peers.get(address)).flatMap(p -> p.channel);
    }

    /** Every peer known, oldest first: a copy, so the caller may add or forget peers meanwhile. */
    List<PeerRecord> all() {
        return List.copyOf(peers.values());
    }

    int size() {
        return peers.size();
    }

    boolean isEmpty() {
        return peers.isEmpty();
    }

    /** True while some peer is waiting, connecting or ready: one that might still answer. */
    boolean anyUsable() {
        return peers.values().stream()
                .anyMatch(p -> p.state == LinkState.CANDIDATE || p.state == LinkState.CONNECTING
                        || p.state == LinkState.READY);
    }

    /** The oldest peer that said HELLO and is still connected. */
    Optional<PeerRecord> firstReady() {
        return peers.values().stream().filter(p -> p.state == LinkState.READY).findFirst();
    }

    /**
     * Dials waiting candidates, oldest first, while fewer than {@link DownloadOptions#maxPeers} connections are open
     * or opening: with peer exchange a swarm names every member to every other, and sockets are finite.
     */
    void connectCandidates() {
        int open = (int) peers.values().stream()
                .filter(p -> p.state == LinkState.CONNECTING || p.state == LinkState.READY).count();
        for (PeerRecord p : List.copyOf(peers.values())) {
            if (open >= maxPeers || over.getAsBoolean()) {
                return;
            }
            if (p.state == LinkState.CANDIDATE) {
                dial(p);
                open++;
            }
        }
    }

    private void dial(PeerRecord peer) {
        peer.state = LinkState.CONNECTING;
        dialling.accept(peer.address);
        peer.channel = Optional.of(dialer.dial(peer.address));
    }

    /** Dials a peer that said GOODBYE again after a back-off, unless it was dialled or dropped meanwhile. */
    void redialLater(PeerRecord peer) {
        if (peer.goodbyes >= REDIALS) {
            return;
        }
        long delay = FIRST_REDIAL_MILLIS << peer.goodbyes++;
        loop.schedule(() -> {
            if (!over.getAsBoolean() && peer.state == LinkState.CLOSED) {
                peer.state = LinkState.CANDIDATE;
                connectCandidates();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Each peer of the download as a progress snapshot shows it. */
    List<PeerProgress> progress() {
        List<PeerProgress> progress = new ArrayList<>(peers.size());
        // Candidates never dialled are not peers of this download yet.
        peers.values().stream().filter(p -> p.state != LinkState.CANDIDATE || p.bytesReceived > 0)
                .forEach(p -> progress.add(p.snapshot()));
        return progress;
    }

    void closeAll() {
        for (PeerRecord p : peers.values()) {
            p.channel.ifPresent(Channel::close);
        }
    }
}
