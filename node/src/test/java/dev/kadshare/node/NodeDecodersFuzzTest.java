package dev.kadshare.node;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kadshare.node.api.RequestsFuzzCheck;
import dev.kadshare.node.config.ConfigurationFuzzCheck;
import dev.kadshare.node.discovery.LanPacketCodecFuzzCheck;
import dev.kadshare.node.link.MagnetLinkFuzzCheck;
import dev.kadshare.testkit.FuzzInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes every node decoder of outside bytes in one target, so CI starts one fuzzing JVM for them, not four: an
 * input's first byte picks the decoder ({@link Decoder}, its value modulo their number) and the rest is what that
 * decoder reads, checked as strictly as its own check says.
 */
class NodeDecodersFuzzTest {
    /** The decoders, in the order of the first byte's values. */
    enum Decoder {
        /** Link text, {@link MagnetLinkFuzzCheck}. */
        LINK,
        /** A LAN discovery datagram, {@link LanPacketCodecFuzzCheck}. */
        LAN_PACKET,
        /** The data dir's config file, {@link ConfigurationFuzzCheck}. */
        CONFIG,
        /** An API request body, {@link RequestsFuzzCheck}. */
        REQUEST
    }

    private static final Decoder[] DECODERS = Decoder.values();

    /** The data dir the config files are written to. */
    @TempDir
    Path root;

    /** Seeds: each decoder's own (and its empty input, {@link FuzzInput#seeds}). */
    static Stream<byte[]> inputs() throws JsonProcessingException {
        return FuzzInput.seeds(DECODERS,
                FuzzInput.seeds(Decoder.LINK, MagnetLinkFuzzCheck.links()),
                FuzzInput.seeds(Decoder.LAN_PACKET, LanPacketCodecFuzzCheck.packets()),
                FuzzInput.seeds(Decoder.CONFIG, ConfigurationFuzzCheck.files()),
                FuzzInput.seeds(Decoder.REQUEST, RequestsFuzzCheck.bodies()));
    }

    @MethodSource("inputs")
    @FuzzTest
    void decode(byte[] input) throws IOException {
        FuzzInput.route(input, DECODERS, (decoder, bytes) -> {
            switch (decoder) {
                case LINK -> MagnetLinkFuzzCheck.parse(bytes);
                case LAN_PACKET -> LanPacketCodecFuzzCheck.decode(bytes);
                case CONFIG -> new ConfigurationFuzzCheck(root).load(bytes);
                case REQUEST -> RequestsFuzzCheck.read(bytes);
            }
        });
    }

}
