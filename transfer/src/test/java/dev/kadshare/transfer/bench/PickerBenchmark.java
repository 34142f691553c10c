package dev.kadshare.transfer.bench;

import dev.kadshare.transfer.swarm.BucketPicker;
import dev.kadshare.transfer.swarm.ChunkPicker;
import dev.kadshare.transfer.swarm.ScanPicker;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Prints how long a chunk pick takes, not a test: the bucketed picker the swarm uses against the scan it replaced, on
 * the same work. {@code picker.chunks} chunks (65536), {@code picker.peers} peers (50) each holding a random half of
 * them; then picks for the peers in turn, each pick followed by its chunk's verification and one HAVE from a random
 * peer, until {@code picker.picks} (5000) chunks are verified. Run from the reactor root:
 * {@code mvn -B -q -pl transfer -am test-compile exec:exec@picker-bench}.
 */
public final class PickerBenchmark {
    public static void main(String[] args) {
        int chunks = Integer.getInteger("picker.chunks", 65536);
        int peers = Integer.getInteger("picker.peers", 50);
        int picks = Integer.getInteger("picker.picks", 5000);
        System.out.printf("%d chunks, %d peers holding half each, %d picks (each with a verification and a HAVE)%n",
                chunks, peers, picks);
        Function<Long, ChunkPicker> scan = seed -> new ScanPicker(chunks, new BitSet(), new SplittableRandom(seed));
        Function<Long, ChunkPicker> buckets = seed -> new BucketPicker(chunks, new BitSet(), new SplittableRandom(seed));
        // Warm-up rounds first, so both are timed compiled.
        for (int round = 0; round < 3; round++) {
            run(scan, chunks, peers, picks / 10, round);
            run(buckets, chunks, peers, picks / 10, round);
        }
        double scanNanos = median(scan, chunks, peers, picks);
        double bucketNanos = median(buckets, chunks, peers, picks);
        System.out.printf("%-10s %10.0f ns per pick%n", "scan", scanNanos);
        System.out.printf("%-10s %10.0f ns per pick%n", "buckets", bucketNanos);
        System.out.printf("buckets are %.0f times faster%n", scanNanos / bucketNanos);
    }

    private static double median(Function<Long, ChunkPicker> picker, int chunks, int peers, int picks) {
        double[] rounds = new double[3];
        for (int i = 0; i < rounds.length; i++) {
            rounds[i] = run(picker, chunks, peers, picks, 100 + i);
        }
        java.util.Arrays.sort(rounds);
        return rounds[1];
    }

    /** Nanoseconds per pick, its verification and one HAVE included; setting up the peers is not timed. */
    private static double run(Function<Long, ChunkPicker> make, int chunks, int peers, int picks, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ChunkPicker picker = make.apply(seed);
        BitSet[] has = new BitSet[peers];
        for (int p = 0; p < peers; p++) {
            has[p] = new BitSet(chunks);
            for (int i = 0; i < chunks; i++) {
                if (random.nextBoolean()) {
                    has[p].set(i);
                }
            }
            picker.holdersChanged(has[p], +1);
        }
        BitSet none = new BitSet();
        long sink = 0;
        long t0 = System.nanoTime();
        for (int n = 0; n < picks; n++) {
            int chunk = picker.pick(has[n % peers], none);
            if (chunk < 0) {
                break;
            }
            picker.requested(chunk);
            picker.verified(chunk);
            BitSet haver = has[random.nextInt(peers)];
            int more = haver.nextClearBit(random.nextInt(chunks));
            if (more < chunks) {
                haver.set(more);
                picker.holderAdded(more);
            }
            sink += chunk;
        }
        long elapsed = System.nanoTime() - t0;
        if (sink == 42) {
            System.out.print(""); // keeps the picks from being optimised away
        }
        return (double) elapsed / picks;
    }
}
