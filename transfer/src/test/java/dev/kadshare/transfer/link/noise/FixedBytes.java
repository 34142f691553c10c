package dev.kadshare.transfer.link.noise;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/** Randomness that hands out given byte strings in order: the vectors' ephemeral keys. */
final class FixedBytes implements RandomGenerator {
    private final Deque<byte[]> next;

    FixedBytes(List<byte[]> values) {
        this.next = new ArrayDeque<>(values);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] value = next.removeFirst();
        if (value.length != bytes.length) {
            throw new IllegalStateException("asked for " + bytes.length + " bytes, have " + value.length);
        }
        System.arraycopy(value, 0, bytes, 0, bytes.length);
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only whole keys are handed out");
    }
}
