package dev.kadshare.transfer.link;

import dev.kadshare.transfer.link.noise.Pattern;
import java.util.Optional;

/**
 * The plaintext bytes before the Noise messages, so that versions can disagree clearly. The initiator sends
 * {@code 4B 53 4C 4B} ("KSLK"), its link version, its pattern (1 = XX, 2 = IK); the responder answers the magic,
 * its own version and a status (0 = accepted, the Noise messages follow; 1 = refused: another link version; 2 =
 * refused: unknown pattern) and closes after a refusal. The magic read as a protocol-4 frame length is 1.26 GB, far
 * above any frame, so a plaintext peer refuses it too; and a plaintext peer's first byte (a frame length's high
 * byte) is 0, which no preamble starts with.
 */
public final class Preamble {
    /** The link version this code speaks. */
    public static final int VERSION = 1;
    public static final int BYTES = 6;
    static final byte[] MAGIC = {0x4B, 0x53, 0x4C, 0x4B};
    static final int ACCEPTED = 0;
    static final int REFUSED_VERSION = 1;
    static final int REFUSED_PATTERN = 2;

    private Preamble() {
    }

    static byte[] hello(int version, Pattern pattern) {
        return bytes(version, pattern == Pattern.XX ? 1 : 2);
    }

    static byte[] answer(int status) {
        return bytes(VERSION, status);
    }

    static Optional<Pattern> pattern(int code) {
        return switch (code) {
            case 1 -> Optional.of(Pattern.XX);
            case 2 -> Optional.of(Pattern.IK);
            default -> Optional.empty();
        };
    }

    static boolean hasMagic(byte[] preamble) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (preamble[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(int version, int last) {
        return new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) version, (byte) last};
    }
}
