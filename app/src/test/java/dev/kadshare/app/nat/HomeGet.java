package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * The daemons of the cases at home: a seed on the public segment, a sharer and a getter each behind a router of one
 * NAT kind, all bootstrapped from the seed; {@link #get} shares a file at the sharer and gets it at the getter.
 */
record HomeGet(Path dir, Kadshare.Daemon seed, Kadshare.Daemon sharer, Kadshare.Daemon getter) implements AutoCloseable {
    /** The sharer's router, where its announcements come from: the peer the getter finds. */
    static final String SHARER_ROUTER = "10.77.1.1:" + Kadshare.Daemon.NAMESPACE_PORT;

    /** Starts the three daemons on {@code internet} (the seed with {@code seedOptions} too) and waits for them to join. */
    static HomeGet start(Path dir, Internet internet, NetLab.Nat nat, String... seedOptions) throws Exception {
        NetLab.Host seedHost = internet.publicHost("seed");
        NetLab.Host sharerHost = internet.home("sharer", nat);
        NetLab.Host getterHost = internet.home("getter", nat);
        String seedAt = seedHost.endpoint(Kadshare.Daemon.NAMESPACE_PORT);
        String[] seedArgs = java.util.stream.Stream.concat(java.util.Arrays.stream(seedOptions),
                java.util.stream.Stream.of("--log-level", "debug")).toArray(String[]::new);
        Kadshare.Daemon seed = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"), seedArgs);
        // The two homes start side by side: each only needs the seed, and a daemon's start is mostly its JVM's.
        CompletableFuture<Kadshare.Daemon> sharer = startAsync(sharerHost, dir.resolve("sharer"), "--bootstrap", seedAt,
                "--log-level", "debug");
        CompletableFuture<Kadshare.Daemon> getter = startAsync(getterHost, dir.resolve("getter"), "--bootstrap", seedAt,
                "--log-level", "debug");
        try {
            CompletableFuture.allOf(sharer, getter).get(120, TimeUnit.SECONDS);
            HomeGet home = new HomeGet(dir, seed, sharer.get(), getter.get());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> home.getter().status(dir).path("routingTableSize").asInt() > 0
                            && home.sharer().status(dir).path("routingTableSize").asInt() > 0);
            return home;
        } catch (Exception | AssertionError e) {
            for (CompletableFuture<Kadshare.Daemon> started : List.of(sharer, getter)) {
                // Whichever did start is stopped (one still starting is waited for, within its own bound).
                Kadshare.Daemon daemon = started.handle((d, failure) -> d).get(120, TimeUnit.SECONDS);
                if (daemon != null) {
                    daemon.close();
                }
            }
            seed.close();
            throw e;
        }
    }

    /** A daemon started in {@code host} with {@code options} on another thread: several start side by side. */
    static CompletableFuture<Kadshare.Daemon> startAsync(NetLab.Host host, Path dataDir, String... options) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Kadshare.Daemon.startIn(host, dataDir, options);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Shares {@code file} at the sharer and gets it at the getter into {@code out}, within {@code atMost}. */
    void get(Path file, Path out, Duration atMost) throws Exception {
        Kadshare.Result share = sharer.cli(dir, "share", file.toString());
        assertEquals(0, share.exitCode(), share.toString());
        Kadshare.Result get = getter.cli(dir, "get", share.lastLine(), "--out", out.toString(), "--detach");
        assertEquals(0, get.exitCode(), get.toString());
        try {
            await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() ->
                    "COMPLETE".equals(getter.status(dir).path("transfers").get(0).path("state").asText()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no get: " + getter.status(dir) + logs(), e);
        }
    }

    /** The getter's transfer peer at the sharer's router. */
    JsonNode sharerPeer() throws Exception {
        JsonNode peers = getter.status(dir).path("transfers").get(0).path("peers");
        java.util.Optional<JsonNode> peer = StreamSupport.stream(peers.spliterator(), false)
                .filter(p -> SHARER_ROUTER.equals(p.path("address").asText())).findFirst();
        if (peer.isEmpty()) {
            throw new AssertionError("no peer " + SHARER_ROUTER + " in " + peers + logs());
        }
        return peer.get();
    }

    /** Every daemon's output, for a failure's message. */
    String logs() throws java.io.IOException {
        return "\nseed:\n" + seed.output() + "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output();
    }

    @Override
    public void close() throws InterruptedException {
        try (Kadshare.Daemon s = seed; Kadshare.Daemon sh = sharer; Kadshare.Daemon g = getter) {
            // closed in reverse order: the getter first
        }
    }
}
