package dev.kadshare.simulation.report;

/** One lookup: whether it found the key's holder, its hops and GET_PEERS sent, and how long it took. */
public record LookupSample(boolean success, int hops, int rpcs, double latencyMs) {
}
