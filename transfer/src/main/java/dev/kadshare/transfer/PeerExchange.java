package dev.kadshare.transfer;

import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Peer exchange for one content on one server: where each connected peer serves it (its IP, the port from its
 * HELLO). A newcomer learns where the others serve, and they learn of the newcomer, at once: a downloader then
 * finds the other downloaders through any server they share (the seeder, at first) instead of only at its next
 * DHT lookup, the next of which may be seconds away. Thread-safe: sessions on several loops share it, and
 * members must only hand the news to their own loop.
 */
public final class PeerExchange {
    /** One connection, told where newcomers serve. */
    public interface Member {
        void learned(List<InetSocketAddress> peers);
    }

    private final Map<Member, Optional<InetSocketAddress>> members = new LinkedHashMap<>();

    /**
     * Adds a connection whose peer serves at {@code serving} (empty: it does not serve) and tells the others of
     * it; returns where the others serve, newest first, at most {@link Message.Peers#MAX}.
     */
    public List<InetSocketAddress> join(Member member, Optional<InetSocketAddress> serving) {
        List<Member> others;
        Set<InetSocketAddress> known = new LinkedHashSet<>();
        synchronized (this) {
            List<Optional<InetSocketAddress>> newestFirst = new ArrayList<>(members.values());
            Collections.reverse(newestFirst);
            for (Optional<InetSocketAddress> address : newestFirst) {
                if (known.size() < Message.Peers.MAX) {
                    address.filter(a -> !serving.equals(Optional.of(a))).ifPresent(known::add);
                }
            }
            others = serving.isPresent() ? List.copyOf(members.keySet()) : List.of();
            members.put(member, serving);
        }
        serving.ifPresent(address -> others.forEach(m -> m.learned(List.of(address))));
        return List.copyOf(known);
    }

    /** Removes a closed connection. */
    public synchronized void leave(Member member) {
        members.remove(member);
    }
}
