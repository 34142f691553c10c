package dev.kadshare.dht.id;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A 256-bit Kademlia identifier (node id or content key); immutable, ordered as an unsigned big-endian number. */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 32;
    public static final int BITS = BYTES * 8;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static NodeId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a NodeId has " + BYTES + " bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /**
     * A random id that falls into bucket {@code index} as seen from {@code self}: it shares the first
     * 255 - index bits with self, differs in the next one, and the rest is random.
     */
    public static NodeId randomInBucket(NodeId self, int index, RandomGenerator random) {
        if (index < 0 || index >= BITS) {
            throw new IllegalArgumentException("bucket index " + index);
        }
        int prefix = BITS - 1 - index;
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        for (int bit = 0; bit <= prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            boolean selfBit = (self.bytes[bit / 8] & mask) != 0;
            boolean want = bit == prefix ? !selfBit : selfBit;
            b[bit / 8] = (byte) (want ? b[bit / 8] | mask : b[bit / 8] & ~mask);
        }
        return new NodeId(b);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** A copy, so the id stays immutable. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The XOR distance to {@code other}, itself a 256-bit number. */
    public NodeId distance(NodeId other) {
        byte[] d = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    /** Number of leading bits shared with {@code other}: 0..256. */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xFF;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /**
     * Index of the k-bucket {@code other} falls into as seen from this id: bucket i holds distances in
     * [2^i, 2^(i+1)), so it is 255 minus the common-prefix length; -1 for this id itself.
     */
    public int bucketIndex(NodeId other) {
        return BITS - 1 - commonPrefixLength(other);
    }

    /** Orders ids by XOR distance to {@code target}, closest first. */
    public static Comparator<NodeId> byDistanceTo(NodeId target) {
        return (a, b) -> {
            for (int i = 0; i < BYTES; i++) {
                int da = (a.bytes[i] ^ target.bytes[i]) & 0xFF;
                int db = (b.bytes[i] ^ target.bytes[i]) & 0xFF;
                if (da != db) {
                    return Integer.compare(da, db);
                }
            }
            return 0;
        };
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Abbreviated, for logs. */
    @Override
    public String toString() {
        return toHex().substring(0, 12);
    }
}
