package dev.kadshare.testkit;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The inputs of a fuzz target that folds several decoders (one fuzzing JVM per module): an input's first byte picks
 * the decoder, its value modulo their number, and the rest is the bytes that decoder reads.
 */
public final class FuzzInput {
    /** What a target does with the bytes of the decoder an input picked. */
    @FunctionalInterface
    public interface Route<E extends Enum<E>> {
        void decode(E decoder, byte[] bytes) throws IOException;
    }

    private FuzzInput() {
    }

    /** Hands {@code input}'s bytes to the one of {@code decoders} its first byte picks; an empty input goes nowhere. */
    public static <E extends Enum<E>> void route(byte[] input, E[] decoders, Route<E> route) throws IOException {
        if (input.length > 0) {
            route.decode(decoders[Byte.toUnsignedInt(input[0]) % decoders.length], Arrays.copyOfRange(input, 1, input.length));
        }
    }

    /**
     * A target's seeds: each decoder's empty input, which Jazzer tries on a target of its own, then {@code seeds}
     * (the committed corpus adds edge cases and findings).
     */
    @SafeVarargs
    public static <E extends Enum<E>> Stream<byte[]> seeds(E[] decoders, Stream<byte[]>... seeds) {
        return Stream.concat(Arrays.stream(decoders).map(decoder -> seed(decoder, new byte[0])), Stream.of(seeds).flatMap(s -> s));
    }

    /** Each of {@code bytes} as an input for {@code decoder}. */
    public static Stream<byte[]> seeds(Enum<?> decoder, Stream<byte[]> bytes) {
        return bytes.map(b -> seed(decoder, b));
    }

    /** {@code bytes} as an input for {@code decoder}: a seed, or a committed corpus file. */
    public static byte[] seed(Enum<?> decoder, byte[] bytes) {
        byte[] input = new byte[bytes.length + 1];
        input[0] = (byte) decoder.ordinal();
        System.arraycopy(bytes, 0, input, 1, bytes.length);
        return input;
    }
}
