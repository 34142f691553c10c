package dev.kadshare.node.transfers;

/** How the last DHT lookup of a transfer went: hops, RPCs sent, peers found. */
public record LookupStatus(int hops, int rpcs, int peersFound) {}
