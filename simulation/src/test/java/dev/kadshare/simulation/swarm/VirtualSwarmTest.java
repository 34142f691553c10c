package dev.kadshare.simulation.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.virtual.LatencyModel;
import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.download.DownloadOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A few hosts wired by hand: the shipped download core on the modelled network and servers. */
class VirtualSwarmTest {
    private static final int CHUNK = 1 << 16;
    private static final double FAST = 100e6;
    /** The seeder sends a chunk in half a second. */
    private static final double SLOW = 2.0 * CHUNK;
    private static final Duration ROTATION = Duration.ofSeconds(1);

    private final VirtualClock clock = new VirtualClock();
    /** 50 ms each way between any two hosts (no spread). */
    private final SwarmNetwork network = new SwarmNetwork(clock, new LatencyModel(50, 0, 1), 4, FAST);
    private final Manifest manifest = Manifest.of("t.bin", 4L * CHUNK, CHUNK, Collections.nCopies(4, new byte[32]));

    private static PeerId id(int host) {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) (host + 1));
        return PeerId.of(id);
    }

    private DownloadingHost downloader(int host) {
        return downloader(host, FAST, 8);
    }

    private DownloadingHost downloader(int host, double upload, int slots) {
        ServingHost server = ServingHost.downloader(host, id(host), manifest, network, upload, slots, ROTATION);
        return new DownloadingHost(host, manifest.contentId(), DownloadOptions.builder().nodeId(id(host)).build(),
                new SplittableRandom(host), network, server, () -> { });
    }

    private static double seconds(DownloadingHost host) {
        return host.finishedAtNanos().orElseThrow() / 1e9;
    }

    @Test
    void aDownloaderServesWhatItsCoreVerifiedToAnotherOnceItKnowsTheManifest() {
        ServingHost.seeder(0, id(0), manifest, network, SLOW, 8, ROTATION);
        DownloadingHost first = downloader(1);
        DownloadingHost second = downloader(2);
        first.start(List.of(network.address(0)));
        // Its HELLO reaches the first downloader before that one has the manifest: GOODBYE, and the core dials
        // again a second later.
        second.start(List.of(network.address(0), network.address(1)));
        clock.runUntil(() -> first.finishedAtNanos().isPresent() && second.finishedAtNanos().isPresent(),
                Duration.ofMinutes(1));

        // Initial seeding: each newcomer is told of one chunk until it asks, so the seeder reveals one chunk to the
        // second and the other three to the first, which asked first, and sends each once, in 2 s.
        // The second got the first's three from the first, each as soon as the first verified it (HAVE): done a round
        // trip and a fast transfer after the seeder's 2 s. The seeder alone would need 2 s more for it.
        assertTrue(seconds(second) > 2.0 && seconds(second) < 2.6, "second " + seconds(second));
        // The first gets the second's chunk from the second, or from the seeder once its first round is over: well
        // before the 4 s the seeder alone would need for both.
        assertTrue(seconds(first) > 2.0 && seconds(first) < 3.6, "first " + seconds(first));
    }

    @Test
    void aServersHubRotatesItsOnlyUploadSlotOnItsOwnTimer() {
        ServingHost.seeder(0, id(0), manifest, network, FAST, 8, ROTATION);
        DownloadingHost first = downloader(1, SLOW, 1);
        DownloadingHost second = downloader(2);
        DownloadingHost third = downloader(3);
        first.start(List.of(network.address(0)));
        clock.runUntil(() -> first.finishedAtNanos().isPresent(), Duration.ofMinutes(1));
        // Both know only the first downloader, which serves one of them at a time, a chunk in half a second.
        double start = clock.nanos() / 1e9;
        second.start(List.of(network.address(1)));
        third.start(List.of(network.address(1)));
        clock.runUntil(() -> second.finishedAtNanos().isPresent() && third.finishedAtNanos().isPresent(),
                Duration.ofMinutes(1));

        // Holding the slot to itself, the one served first is done 2.5 s in (four chunks, the round trips; so it is
        // when the hub's timers never fire); the hub's rotation every second hands the slot to the other before that.
        double earlier = Math.min(seconds(second), seconds(third)) - start;
        assertTrue(earlier > 2.75, "second " + seconds(second) + ", third " + seconds(third) + ", from " + start);
    }

    @Test
    void everyHostHasItsOwnLoopbackAddress() {
        SwarmNetwork big = new SwarmNetwork(clock, new LatencyModel(50, 0, 1), 70_000, FAST);
        Set<InetSocketAddress> seen = new HashSet<>();
        for (int host = 0; host < 70_000; host++) {
            InetSocketAddress address = big.address(host);
            assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
            assertEquals(host, SwarmNetwork.host(address));
            assertTrue(seen.add(address));
        }
    }
}
