package dev.kadshare.transfer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadshare.transfer.content.ManifestFuzzCheck;
import dev.kadshare.transfer.netty.FrameAssemblerFuzzCheck;
import dev.kadshare.transfer.store.ResumeStateFuzzCheck;
import dev.kadshare.transfer.wire.FrameCodecFuzzCheck;
import dev.kadshare.testkit.FuzzInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes every transfer decoder of outside bytes in one target, so CI starts one fuzzing JVM for them, not four:
 * an input's first byte picks the decoder ({@link Decoder}, its value modulo their number) and the rest is what that
 * decoder reads, checked as strictly as its own check says.
 */
class TransferDecodersFuzzTest {
    /** The decoders, in the order of the first byte's values. */
    enum Decoder {
        /** One frame, {@link FrameCodecFuzzCheck}. */
        FRAME,
        /** The TCP byte stream into frames, {@link FrameAssemblerFuzzCheck}. */
        STREAM,
        /** A manifest, {@link ManifestFuzzCheck}. */
        MANIFEST,
        /** A download's sidecar, {@link ResumeStateFuzzCheck}. */
        SIDECAR
    }

    private static final Decoder[] DECODERS = Decoder.values();

    /** On tmpfs where there is one: every sidecar load forces the file. */
    @TempDir(factory = ResumeStateFuzzCheck.Tmpfs.class)
    Path dir;

    private final FrameCodecFuzzCheck frames = new FrameCodecFuzzCheck();

    /** Seeds: each decoder's own (and its empty input, {@link FuzzInput#seeds}). */
    static Stream<byte[]> inputs() throws IOException {
        return FuzzInput.seeds(DECODERS,
                FuzzInput.seeds(Decoder.FRAME, FrameCodecFuzzCheck.frames()),
                FuzzInput.seeds(Decoder.MANIFEST, ManifestFuzzCheck.manifests()),
                FuzzInput.seeds(Decoder.SIDECAR, ResumeStateFuzzCheck.sidecars()));
    }

    @MethodSource("inputs")
    @FuzzTest
    void decode(byte[] input) throws IOException {
        FuzzInput.route(input, DECODERS, (decoder, bytes) -> {
            switch (decoder) {
                case FRAME -> frames.decode(bytes);
                case STREAM -> FrameAssemblerFuzzCheck.assemble(bytes);
                case MANIFEST -> ManifestFuzzCheck.decode(bytes);
                case SIDECAR -> new ResumeStateFuzzCheck(dir).load(bytes);
            }
        });
    }

}
