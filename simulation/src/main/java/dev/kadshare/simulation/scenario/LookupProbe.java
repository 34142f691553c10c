package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.LookupTrace;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.report.LookupSample;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One measured GET_PEERS lookup: succeeds if the key's holder is among the peers found. */
final class LookupProbe {
    private LookupProbe() {}

    static CompletableFuture<LookupSample> run(Cluster cluster, SimNode initiator, KeyHolder target) {
        Instant[] start = new Instant[1];
        return cluster.call(initiator, dht -> {
            start[0] = cluster.clock().instant();
            cluster.tap().begin(initiator.address(), target.key());
            return dht.findPeers(target.key());
        }).handle((peers, failure) -> {
            LookupTrace trace = cluster.tap().end(initiator.address());
            double millis = Duration.between(start[0], cluster.clock().instant()).toNanos() / 1e6;
            boolean found = failure == null && peers.contains(target.holder().address());
            return new LookupSample(found, trace.hops(), trace.rpcs(), millis);
        });
    }
}
