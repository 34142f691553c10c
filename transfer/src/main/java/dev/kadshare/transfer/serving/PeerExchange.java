package dev.kadshare.transfer.serving;

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
 * HELLO). A newcomer learns where the others serve, and they learn of the newcomer, at once: a downloader then finds
 * the other downloaders through any server they share (the seeder, at first) instead of only at its next DHT lookup,
 * the next of which may be seconds away. Pure, not thread-safe.
 *
 * @param <M> how the owner names a connection
 */
public final class PeerExchange<M> {
    /**
     * What a join calls for: tell the newcomer where the others serve ({@code others}, newest first, at most {@link
     * Message.Peers#MAX}), and tell each of {@code toTell} where the newcomer serves.
     */
    public record Joined<M>(List<InetSocketAddress> others, List<M> toTell) {
    }

    private final Map<M, Optional<InetSocketAddress>> members = new LinkedHashMap<>();

    /** Adds a connection whose peer serves at {@code serving} (empty: it does not serve). */
    public Joined<M> join(M member, Optional<InetSocketAddress> serving) {
        Set<InetSocketAddress> known = new LinkedHashSet<>();
        List<Optional<InetSocketAddress>> newestFirst = new ArrayList<>(members.values());
        Collections.reverse(newestFirst);
        for (Optional<InetSocketAddress> address : newestFirst) {
            if (known.size() < Message.Peers.MAX) {
                address.filter(a -> !serving.equals(Optional.of(a))).ifPresent(known::add);
            }
        }
        List<M> toTell = serving.isPresent() ? List.copyOf(members.keySet()) : List.of();
        members.put(member, serving);
        return new Joined<>(List.copyOf(known), toTell);
    }

    /** Removes a closed connection. */
    public void leave(M member) {
        members.remove(member);
    }
}
