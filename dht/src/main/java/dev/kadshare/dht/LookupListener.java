package dev.kadshare.dht;

import java.time.Duration;

/** Told of every lookup a DHT node finishes, on the node's thread: what it was for and how long it took. */
@FunctionalInterface
public interface LookupListener {
    /**
     * @param kind {@code FIND_NODE}, {@code GET_PEERS} or {@code GET_RECORDS}, as in the {@code lookup.count.*}
     *     counters
     * @param took from the first query to the end, by the node's clock
     */
    void lookupDone(String kind, Duration took);
}
