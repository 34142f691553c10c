package dev.kadshare.transfer.bench;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.KnownKeys;
import dev.kadshare.transfer.link.LinkHandshake;
import dev.kadshare.transfer.link.LinkIdentity;
import dev.kadshare.transfer.link.LinkPair;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Prints what one link handshake costs, both ends together, not a test: an XX handshake (a first link) and an IK one
 * (a later link, or one the DHT named the key for), in memory with no sockets. Each starts with a fresh JVM's first
 * {@code handshake.cold} handshakes (default 20) timed as a daemon meets them, with the process's CPU (the JIT's
 * included), then the median of rounds once compiled. Run from the reactor root:
 * {@code mvn -B -q -pl transfer -am test-compile exec:exec@handshake-bench}.
 */
public final class HandshakeBenchmark {
    private static final LinkIdentity ALICE = LinkIdentity.fromSeed(seed(1));
    private static final LinkIdentity BOB = LinkIdentity.fromSeed(seed(2));

    public static void main(String[] args) {
        int cold = Integer.getInteger("handshake.cold", 20);
        int rounds = Integer.getInteger("handshake.rounds", 2000);
        Optional<KnownKeys.Known> bobKnown = Optional.of(new KnownKeys.Known(PeerId.of(BOB.nodeId()),
                Optional.of(BOB.noiseStatic().publicKey())));
        SplittableRandom random = new SplittableRandom(7);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < cold; i++) {
            handshake(Optional.empty(), random);
            handshake(bobKnown, random);
        }
        System.out.printf("first %d XX + %d IK handshakes of a fresh JVM: %.1f ms wall, %.1f ms of the process's CPU"
                + " (the JIT's included): %.2f ms CPU a handshake%n", cold, cold, (System.nanoTime() - wall) / 1e6,
                (os.getProcessCpuTime() - cpu) / 1e6, (os.getProcessCpuTime() - cpu) / 1e6 / (2.0 * cold));
        for (int i = 0; i < rounds; i++) { // compile both paths
            handshake(Optional.empty(), random);
            handshake(bobKnown, random);
        }
        System.out.printf("XX, compiled: %.0f us a handshake, both ends%n", median(Optional.empty(), random, rounds / 10));
        System.out.printf("IK, compiled: %.0f us a handshake, both ends%n", median(bobKnown, random, rounds / 10));
    }

    private static double median(Optional<KnownKeys.Known> expected, SplittableRandom random, int count) {
        double[] us = new double[5];
        for (int r = 0; r < us.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                handshake(expected, random);
            }
            us[r] = (System.nanoTime() - start) / 1e3 / count;
        }
        Arrays.sort(us);
        return us[us.length / 2];
    }

    /** One handshake from ALICE to BOB, bytes passed back and forth until both ends have the link. */
    private static void handshake(Optional<KnownKeys.Known> expected, SplittableRandom random) {
        LinkPair pair = new LinkPair(LinkHandshake.initiator(ALICE, expected, random.split()),
                LinkHandshake.responder(BOB, random.split())).run(false);
        if (!pair.established()) {
            throw new IllegalStateException("the handshake did not establish a link at both ends");
        }
    }

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }
}
