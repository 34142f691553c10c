package dev.kadshare.transfer.download;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The peers one download knows of: which to dial while connections are free ({@link DownloadOptions#maxPeers}),
 * how many to remember, when to dial one again. Pure: it names the dials, the caller makes them.
 */
final class PeerBook {
    /**
     * A peer that says GOODBYE is dialled again this many times, 1, 2, 4... s later: a peer named by peer exchange
     * or the DHT may be a downloader that does not serve the content yet (its manifest is on its way).
     */
    static final int REDIALS = 4;
    private static final Duration FIRST_REDIAL = Duration.ofSeconds(1);
    /**
     * Peers one download knows of at most: PEERS may name any number, and each would cost memory and a dial.
     * When full, a new address takes the place of the oldest that was dialled and never answered.
     */
    static final int MAX_KNOWN_PEERS = 1000;

    /** Told of what the book decides. */
    interface Listener {
        /** {@code peer} is to be dialled now, on its new {@link PeerSession#link}. */
        void dial(PeerSession peer);

        /** {@code address} was forgotten to make room for a newer peer. */
        void forgotten(InetSocketAddress address);
    }

    private final Map<InetSocketAddress, PeerSession> peers = new LinkedHashMap<>();
    private final int maxPeers;
    private final Listener listener;
    /** The node's bans: such an address is never dialled (it may be banned at any time, by any download). */
    private final Predicate<InetSocketAddress> banned;
    private long dials;

    PeerBook(int maxPeers, Predicate<InetSocketAddress> banned, Listener listener) {
        this.maxPeers = maxPeers;
        this.banned = banned;
        this.listener = listener;
    }

    /**
     * Learns of {@code addresses} (a closed one becomes a candidate again) and dials as connections allow; true if
     * any was news.
     */
    boolean add(Collection<InetSocketAddress> addresses) {
        boolean news = false;
        for (InetSocketAddress address : addresses) {
            PeerSession known = peers.get(address);
            if (known == null) {
                if (peers.size() < MAX_KNOWN_PEERS || forgetOneUnanswered()) {
                    peers.put(address, new PeerSession(address));
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
        for (PeerSession p : peers.values()) {
            if (p.state == LinkState.CLOSED && !p.everReady && p.goodbyes == 0) {
                peers.remove(p.address);
                listener.forgotten(p.address);
                return true;
            }
        }
        return false;
    }

    /** The session of {@code address}, if it is known. */
    Optional<PeerSession> get(InetSocketAddress address) {
        return Optional.ofNullable(peers.get(address));
    }

    /** The session whose current connection is {@code link}: empty for a connection already replaced or closed. */
    Optional<PeerSession> on(Link link) {
        return get(link.peer()).filter(p -> p.isOn(link));
    }

    /** Every peer known, oldest first: a copy, so the caller may add or forget peers meanwhile. */
    List<PeerSession> all() {
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
        return peers.values().stream().anyMatch(p -> p.state == LinkState.CANDIDATE
                || p.state == LinkState.CONNECTING || p.state == LinkState.READY);
    }

    /** The oldest peer that said HELLO, is still connected and did not leave a manifest request unanswered. */
    Optional<PeerSession> firstReady() {
        return peers.values().stream().filter(p -> p.state == LinkState.READY && !p.manifestUnanswered).findFirst();
    }

    /**
     * Dials waiting candidates, oldest first, while fewer than {@link DownloadOptions#maxPeers} connections are open
     * or opening: with peer exchange a swarm names every member to every other, and sockets are finite.
     */
    void connectCandidates() {
        int open = (int) peers.values().stream()
                .filter(p -> p.state == LinkState.CONNECTING || p.state == LinkState.READY).count();
        for (PeerSession p : List.copyOf(peers.values())) {
            if (open >= maxPeers) {
                return;
            }
            if (p.state == LinkState.CANDIDATE && banned.test(p.address)) {
                p.state = LinkState.DROPPED;
            } else if (p.state == LinkState.CANDIDATE) {
                p.state = LinkState.CONNECTING;
                p.link = Optional.of(new Link(p.address, ++dials));
                p.readingPaused = false;
                listener.dial(p);
                open++;
            }
        }
    }

    /**
     * How long to wait before dialling again a peer that said GOODBYE; empty once it has had all its
     * {@link #REDIALS}.
     */
    Optional<Duration> redialDelay(PeerSession peer) {
        if (peer.goodbyes >= REDIALS) {
            return Optional.empty();
        }
        return Optional.of(FIRST_REDIAL.multipliedBy(1L << peer.goodbyes++));
    }

    /** Each peer of the download as a progress snapshot shows it. */
    List<PeerProgress> progress() {
        List<PeerProgress> progress = new ArrayList<>(peers.size());
        // Candidates never dialled are not peers of this download yet.
        peers.values().stream().filter(p -> p.state != LinkState.CANDIDATE || p.bytesReceived > 0)
                .forEach(p -> progress.add(p.snapshot()));
        return progress;
    }
}
