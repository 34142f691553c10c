package dev.kadshare.dht.store;

import dev.kadshare.dht.id.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Signed records for tests: one fixed publisher, each value in a slot of its own. */
public final class SignedRecords {
    /** The publisher of seed 07 x 32. */
    public static final Publisher PUBLISHER = publisher(7);
    /** The key the records are signed for (stores do not check it; nodes do). */
    public static final NodeId KEY = NodeId.of(new byte[NodeId.BYTES]);

    private SignedRecords() {
    }

    public static Publisher publisher(int seedByte) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) seedByte);
        return Publisher.fromSeed(seed);
    }

    /** {@code value} by {@link #PUBLISHER} under {@link #KEY}, salted with its hash, sequence number 1. */
    public static RecordValue of(byte[] value) {
        return RecordValue.sign(PUBLISHER, KEY, salt(value), 1, value);
    }

    public static RecordValue of(String value) {
        return of(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A record whose whole encoding has {@code length} bytes (at least {@link RecordValue#OVERHEAD} + 1). */
    public static RecordValue sized(int length, RandomGenerator random) {
        byte[] value = new byte[length - RecordValue.OVERHEAD];
        random.nextBytes(value);
        return RecordValue.sign(PUBLISHER, KEY, new byte[0], 1, value);
    }

    private static byte[] salt(byte[] value) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(value), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
