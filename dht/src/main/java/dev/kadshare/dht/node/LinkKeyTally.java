package dev.kadshare.dht.node;

import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.LinkKey;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The link keys one lookup was told for its peers, one vote per answer: a peer's key is the one most answers gave
 * (the first on a tie), so a lone lying storer does not override what the others agree on. Lives as long as a lookup.
 */
final class LinkKeyTally {
    private final Map<InetSocketAddress, Map<LinkKey, Integer>> votes = new HashMap<>();

    void add(AnnouncedPeer peer) {
        peer.linkKey().ifPresent(key -> votes.computeIfAbsent(peer.address(), a -> new LinkedHashMap<>())
                .merge(key, 1, Integer::sum));
    }

    /** The winning key of each of {@code peers} that was given one. */
    Map<InetSocketAddress, LinkKey> of(Set<InetSocketAddress> peers) {
        Map<InetSocketAddress, LinkKey> keys = new HashMap<>();
        for (InetSocketAddress peer : peers) {
            Map<LinkKey, Integer> given = votes.get(peer);
            if (given == null) {
                continue;
            }
            LinkKey best = null;
            int most = 0;
            for (Map.Entry<LinkKey, Integer> e : given.entrySet()) {
                if (e.getValue() > most) {
                    most = e.getValue();
                    best = e.getKey();
                }
            }
            keys.put(peer, best);
        }
        return keys;
    }
}
