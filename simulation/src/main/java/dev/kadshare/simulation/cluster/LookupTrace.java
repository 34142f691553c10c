package dev.kadshare.simulation.cluster;

/** What one lookup cost, seen from the wire: GET_PEERS sent, and the hop at which its closest answer came. */
public record LookupTrace(int rpcs, int hops) {
}
