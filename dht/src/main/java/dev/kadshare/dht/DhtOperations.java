package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.rendezvous.Introduction;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a DHT node does for its user, whoever drives it: {@link Dht} takes calls from any thread, the protocol
 * core {@code DhtNode} only on its own (an event loop, or a simulation's virtual-time loop). Either way the
 * futures complete on the node's thread.
 */
public interface DhtOperations extends AutoCloseable {
    NodeId id();

    InetSocketAddress localAddress();

    /** Pings the seeds, then looks up our own id; completes with the routing-table size, or fails if no seed answered. */
    CompletableFuture<Integer> bootstrap(Collection<InetSocketAddress> seeds);

    /** Announces us as a holder of {@code key} at {@code port}, renewed until withdrawn; completes with how many nodes accepted. */
    CompletableFuture<Integer> announce(NodeId key, int port);

    /** GET_PEERS lookup; completes with the peers found, our own store included. */
    CompletableFuture<Set<InetSocketAddress>> findPeers(NodeId key);

    /** Like {@link #findPeers}, with the lookup's hop and RPC counts. */
    CompletableFuture<LookupResult> lookupPeers(NodeId key);

    /**
     * Stores a small record under {@code key} at the closest nodes, signed by this node's publisher key, renewed until
     * withdrawn; completes with how many accepted. Each distinct value is a record of its own (its salt is the value's
     * hash).
     */
    CompletableFuture<Integer> put(NodeId key, byte[] value);

    /**
     * Stores our one record under {@code key} and {@code salt} (0..32 bytes): a later put with the same salt replaces
     * it everywhere (a higher sequence number), and nobody else can. Completes with how many accepted.
     */
    CompletableFuture<Integer> put(NodeId key, byte[] salt, byte[] value);

    /** GET_RECORDS lookup; completes with the distinct values of the validly signed records found, our own store included. */
    CompletableFuture<List<byte[]>> get(NodeId key);

    /** GET_RECORDS lookup; completes with the validly signed records found (publisher, sequence number, value). */
    CompletableFuture<List<RecordValue>> getRecords(NodeId key);

    /**
     * Takes back our announcement under {@code key} from the nodes that store it and stops renewing it and our
     * records (which expire within the TTL); completes with how many remote nodes dropped it.
     */
    CompletableFuture<Integer> withdraw(NodeId key);

    /**
     * Asks the nodes storing {@code peer} under {@code key} to introduce us (a getter listening on TCP {@code port})
     * to it, so it dials us back while we dial it (hole punching); completes with the nodes that forwarded the request
     * (at their DHT address, which is also their transfer port: the relays to ask when punching fails).
     */
    CompletableFuture<List<InetSocketAddress>> requestIntroduction(NodeId key, InetSocketAddress peer, int port);

    /** Who is told, on the node's thread, of each getter a holder of our announcements introduces to us. */
    void onIntroduction(Consumer<Introduction> listener);

    /** Routing-table size and counters; safe from any thread. */
    DhtStatus status();

    @Override
    void close();
}
