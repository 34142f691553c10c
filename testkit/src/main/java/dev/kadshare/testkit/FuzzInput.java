package dev.kadshare.testkit;

import java.util.Arrays;
import java.util.Optional;

/**
 * One input of a fuzz target that folds several decoders (one fuzzing JVM per module): its first byte picks the
 * decoder, its value modulo their number, and the rest is the bytes that decoder reads.
 */
public record FuzzInput<E extends Enum<E>>(E decoder, byte[] bytes) {
    /** What {@code input} gives to which of {@code decoders} (in the order of the first byte's values); none when empty. */
    public static <E extends Enum<E>> Optional<FuzzInput<E>> of(byte[] input, E[] decoders) {
        if (input.length == 0) {
            return Optional.empty();
        }
        return Optional.of(new FuzzInput<>(decoders[Byte.toUnsignedInt(input[0]) % decoders.length],
                Arrays.copyOfRange(input, 1, input.length)));
    }

    /** {@code bytes} as an input for {@code decoder}: a seed, or a committed corpus file. */
    public static byte[] seed(Enum<?> decoder, byte[] bytes) {
        byte[] input = new byte[bytes.length + 1];
        input[0] = (byte) decoder.ordinal();
        System.arraycopy(bytes, 0, input, 1, bytes.length);
        return input;
    }
}
