package dev.kadshare.transfer.peers;

import dev.kadshare.net.AddressScope;
import dev.kadshare.net.HostPrefix;
import dev.kadshare.transfer.content.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peers a node will not deal with again until it restarts, because one of its downloads caught them sending bad
 * data: one list per node, shared by all its downloads (each on its own event loop), so thread-safe.
 *
 * <p>A peer is banned by its node id (when it gave one) and by its host's address ({@link HostPrefix}: an IPv4
 * address, an IPv6 /64, where a host picks a fresh address at will), except a loopback IP: every peer of a
 * test or a demo on one host shares 127.0.0.1, and banning it would ban the honest ones too; there its exact address
 * (IP and port) is banned instead, so it is still never dialled again. An address is banned when its host or its exact
 * address is. Each kind holds at most {@link #MAX_PER_KIND} entries: every one cost an attacker a connection and bad
 * data, and memory stays bounded however many it spends.
 */
public final class PeerBans {
    static final int MAX_PER_KIND = 65_536;

    private final Set<PeerId> nodes = ConcurrentHashMap.newKeySet();
    private final Set<HostPrefix> hosts = ConcurrentHashMap.newKeySet();
    private final Set<InetSocketAddress> endpoints = ConcurrentHashMap.newKeySet();

    /** Bans the peer at {@code address} that gave {@code node} (or {@link PeerId#UNKNOWN}); true if that was news. */
    public boolean ban(PeerId node, InetSocketAddress address) {
        boolean news = banNode(node);
        InetAddress ip = address.getAddress();
        if (ip != null && AddressScope.of(ip) != AddressScope.LOOPBACK) {
            news |= add(hosts, HostPrefix.of(ip));
        } else {
            news |= add(endpoints, address);
        }
        return news;
    }

    /** Bans node {@code node} alone (met through a relay, at no address of its own); true if that was news. */
    public boolean banNode(PeerId node) {
        return node.isKnown() && add(nodes, node);
    }

    private static <T> boolean add(Set<T> set, T value) {
        return set.size() < MAX_PER_KIND && set.add(value);
    }

    public boolean isBanned(PeerId node) {
        return node.isKnown() && nodes.contains(node);
    }

    public boolean isBanned(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return (ip != null && hosts.contains(HostPrefix.of(ip))) || endpoints.contains(address);
    }

    /** How many of each kind are banned, for status. */
    public Counts counts() {
        return new Counts(nodes.size(), hosts.size(), endpoints.size());
    }

    /** Banned node ids, hosts (IPv4 addresses, IPv6 /64s) and exact (loopback) addresses. */
    public record Counts(int nodeIds, int ips, int endpoints) {
    }
}
