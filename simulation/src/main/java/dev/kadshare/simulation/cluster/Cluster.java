package dev.kadshare.simulation.cluster;

import dev.kadshare.dht.DhtOperations;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A network of DHT nodes in this JVM, real (loopback) or modelled (virtual); scenarios see only this. */
public interface Cluster extends AutoCloseable {
    /** "loopback" or "virtual". */
    String mode();

    /** Starts a node with a fresh id and address; it still has to bootstrap. */
    SimNode start();

    /** The nodes currently up. */
    List<SimNode> nodes();

    /** The network's median round trip in milliseconds where it is modelled, 0 where it is not known (loopback). */
    default double medianRoundTripMillis() {
        return 0;
    }

    /** Time as the scenario measures it: virtual time, or the wall clock on loopback. */
    InstantSource clock();

    /** Runs {@code operation} on the node's own thread; the future completes there too. */
    <T> CompletableFuture<T> call(SimNode node, Function<DhtOperations, CompletableFuture<T>> operation);

    /**
     * Waits for {@code future}: on loopback by blocking, in virtual mode by running events, so it must be
     * called from the simulation's thread. True if it completed normally within {@code timeout}.
     */
    boolean await(CompletableFuture<?> future, Duration timeout);

    @Override
    void close();
}
