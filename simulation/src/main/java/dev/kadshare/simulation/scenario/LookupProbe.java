package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.report.LookupSample;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One GET_PEERS lookup, with the DHT's own hop and RPC counts: succeeds if it finds the key's holder. */
final class LookupProbe {
    private LookupProbe() {}

    static CompletableFuture<LookupSample> run(Cluster cluster, SimNode initiator, KeyHolder target) {
        Instant[] start = new Instant[1];
        return cluster.call(initiator, dht -> {
            start[0] = cluster.clock().instant();
            return dht.lookupPeers(target.key());
        }).handle((result, failure) -> {
            double millis = Duration.between(start[0], cluster.clock().instant()).toNanos() / 1e6;
            if (failure != null) {
                return new LookupSample(false, 0, 0, millis);
            }
            return new LookupSample(result.peers().contains(target.holder().address()), result.hops(), result.rpcs(),
                    millis);
        });
    }
}
