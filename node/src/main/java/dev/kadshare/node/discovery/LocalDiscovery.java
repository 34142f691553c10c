package dev.kadshare.node.discovery;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * LAN discovery as a state machine, after BEP 14: events in ({@link DiscoveryEvent}), actions out
 * ({@link DiscoveryAction}); no clock, no sockets, no threads. On each interface it sends a query when it starts there,
 * an announce a minute after its last packet, and an earlier one (at most one per {@link #MIN_GAP}) when a download
 * starts or another node's query asks for it. It hears other nodes' packets, keeps the last {@link #MAX_PEERS} nodes
 * heard within {@link #PEER_TTL}, and reports each as found; its own packets (its cookie), packets from off the
 * interfaces' subnets and malformed ones are dropped and counted. Single-threaded: one caller at a time.
 */
public final class LocalDiscovery {
    /** The regular announce: at most one a minute per interface, as BEP 14 asks. */
    public static final Duration ANNOUNCE_INTERVAL = Duration.ofMinutes(1);
    /** The least time between two packets on one interface, whatever asks for them. */
    public static final Duration MIN_GAP = Duration.ofSeconds(10);
    /** A node not heard for three announce intervals is forgotten. */
    public static final Duration PEER_TTL = ANNOUNCE_INTERVAL.multipliedBy(3);
    /** Nodes remembered at most: a LAN that claims more (forged ids) cannot grow the table or the pings beyond it. */
    public static final int MAX_PEERS = 256;

    private final NodeId self;
    private final int port;
    private final long cookie;
    private final Map<String, InterfaceState> interfaces = new LinkedHashMap<>();
    private final Map<NodeId, LanPeer> peers = new LinkedHashMap<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private List<ContentId> fetching = List.of();

    /** Sends on one interface: when it last did, when the regular announce is due, whether an early one is wanted. */
    private static final class InterfaceState {
        LanInterface lan;
        Optional<Instant> lastSent = Optional.empty();
        Instant regularDue = Instant.MIN;
        boolean early;

        InterfaceState(LanInterface lan) {
            this.lan = lan;
        }

        Instant due() {
            if (lastSent.isEmpty()) {
                return Instant.MIN;
            }
            Instant soonest = lastSent.get().plus(MIN_GAP);
            return early && soonest.isBefore(regularDue) ? soonest : regularDue;
        }
    }

    /**
     * @param self this node's id, announced and never taken for a peer
     * @param port the port this node's DHT and transfer server listen on
     * @param cookie random for this run (from the edge's randomness): packets carrying it are our own
     */
    public LocalDiscovery(NodeId self, int port, long cookie) {
        this.self = self;
        this.port = port;
        this.cookie = cookie;
    }

    /** Handles one event; the actions are to be carried out in order, the last being always a {@link DiscoveryAction.WakeAt}. */
    public List<DiscoveryAction> handle(DiscoveryEvent event) {
        List<DiscoveryAction> actions = new ArrayList<>();
        Instant now = event.now();
        if (event instanceof DiscoveryEvent.InterfacesChanged changed) {
            onInterfaces(changed.interfaces());
        } else if (event instanceof DiscoveryEvent.FetchingChanged changed) {
            onFetching(changed.fetching());
        } else if (event instanceof DiscoveryEvent.Received received) {
            onReceived(now, received.from(), received.data(), actions);
        }
        peers.values().removeIf(p -> !p.lastSeen().plus(PEER_TTL).isAfter(now));
        sendDue(now, actions);
        actions.add(new DiscoveryAction.WakeAt(nextWake(now)));
        return actions;
    }

    /** The nodes heard within {@link #PEER_TTL}, most recently heard first. */
    public List<LanPeer> peers() {
        return peers.values().stream().sorted(Comparator.comparing(LanPeer::lastSeen).reversed()).toList();
    }

    /** {@code sent}, {@code received}, {@code own} (our packets looped back) and {@code dropped.<REASON>}. */
    public Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    private void onInterfaces(List<LanInterface> now) {
        Map<String, InterfaceState> kept = new LinkedHashMap<>();
        for (LanInterface lan : now) {
            InterfaceState state = interfaces.getOrDefault(lan.name(), new InterfaceState(lan));
            state.lan = lan;
            kept.put(lan.name(), state);
        }
        interfaces.clear();
        interfaces.putAll(kept);
        peers.values().removeIf(p -> !interfaces.containsKey(p.interfaceName()));
    }

    private void onFetching(List<ContentId> wanted) {
        List<ContentId> next = wanted.stream().distinct().limit(LanPacket.MAX_CONTENT_IDS).toList();
        boolean started = !new HashSet<>(fetching).containsAll(next);
        fetching = next;
        if (started) {
            // A new download: tell the LAN now rather than within the minute, so a neighbour fetching it too joins in.
            interfaces.values().forEach(s -> s.early = true);
        }
    }

    private void onReceived(Instant now, InetSocketAddress from, byte[] data, List<DiscoveryAction> actions) {
        count("received");
        LanPacketCodec.Decoding decoding = LanPacketCodec.decode(data);
        if (decoding instanceof LanPacketCodec.Decoding.Rejected rejected) {
            count("dropped." + rejected.reason());
            return;
        }
        LanPacket packet = ((LanPacketCodec.Decoding.Ok) decoding).packet();
        if (packet.cookie() == cookie) {
            count("own");
            return;
        }
        if (packet.nodeId().equals(self)) {
            count("dropped.SELF");
            return;
        }
        // Java cannot tell which interface a datagram came in on: the one whose subnet holds the source is taken for
        // it, and a source on none of them (routed in from elsewhere, or forged) is no neighbour.
        Optional<InterfaceState> on = interfaces.values().stream().filter(s -> s.lan.holds(from.getAddress())).findFirst();
        if (on.isEmpty()) {
            count("dropped.OFF_SUBNET");
            return;
        }
        LanPeer peer = new LanPeer(packet.nodeId(), new InetSocketAddress(from.getAddress(), packet.port()),
                on.get().lan.name(), packet.fetching(), now);
        LanPeer before = peers.get(peer.nodeId());
        if (before == null && peers.size() >= MAX_PEERS) {
            count("dropped.PEERS_FULL");
            return;
        }
        peers.remove(peer.nodeId()); // re-inserted last: the map's order is the order heard
        peers.put(peer.nodeId(), peer);
        actions.add(new DiscoveryAction.PeerFound(peer, before == null || !before.address().equals(peer.address())));
        if (packet.kind() == LanPacket.Kind.QUERY) {
            on.get().early = true;
        }
    }

    private void sendDue(Instant now, List<DiscoveryAction> actions) {
        for (InterfaceState s : interfaces.values()) {
            if (s.due().isAfter(now)) {
                continue;
            }
            // The first packet on an interface is a query: the nodes already there answer, so we need not wait a minute.
            LanPacket.Kind kind = s.lastSent.isEmpty() ? LanPacket.Kind.QUERY : LanPacket.Kind.ANNOUNCE;
            actions.add(new DiscoveryAction.Send(s.lan.name(),
                    LanPacketCodec.encode(new LanPacket(kind, cookie, self, port, fetching))));
            count("sent");
            s.lastSent = Optional.of(now);
            s.regularDue = now.plus(ANNOUNCE_INTERVAL);
            s.early = false;
        }
    }

    private Instant nextWake(Instant now) {
        Instant next = now.plus(ANNOUNCE_INTERVAL);
        for (InterfaceState s : interfaces.values()) {
            next = min(next, s.due());
        }
        for (LanPeer p : peers.values()) {
            next = min(next, p.lastSeen().plus(PEER_TTL));
        }
        return next.isBefore(now) ? now : next;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void count(String name) {
        counters.merge(name, 1L, Long::sum);
    }
}
