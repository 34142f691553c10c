package dev.kadshare.dht;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadshare.dht.snapshot.RoutingSnapshotFileFuzzCheck;
import dev.kadshare.dht.wire.DatagramFuzzCheck;
import dev.kadshare.testkit.FuzzInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes every DHT decoder of outside bytes in one target, so CI starts one fuzzing JVM for them, not two: an
 * input's first byte picks the decoder ({@link Decoder}, its value modulo their number) and the rest is what that
 * decoder reads, checked as strictly as its own check says.
 */
class DhtDecodersFuzzTest {
    /** The decoders, in the order of the first byte's values. */
    enum Decoder {
        /** A datagram's whole way in, {@link DatagramFuzzCheck}. */
        DATAGRAM,
        /** The routing snapshot file, {@link RoutingSnapshotFileFuzzCheck}. */
        ROUTING_SNAPSHOT
    }

    private static final Decoder[] DECODERS = Decoder.values();

    /** Where the snapshot files are written. */
    @TempDir
    Path dir;

    private final DatagramFuzzCheck datagrams = new DatagramFuzzCheck();

    /**
     * Seeds: each decoder's own, and each decoder's empty input, which Jazzer tries on a target of its own (the
     * committed corpus adds edge cases and findings).
     */
    static Stream<byte[]> inputs() {
        return Stream.of(
                        Arrays.stream(DECODERS).map(decoder -> FuzzInput.seed(decoder, new byte[0])),
                        DatagramFuzzCheck.inputs().map(datagram -> FuzzInput.seed(Decoder.DATAGRAM, datagram)),
                        RoutingSnapshotFileFuzzCheck.snapshots().map(file -> FuzzInput.seed(Decoder.ROUTING_SNAPSHOT, file)))
                .flatMap(s -> s);
    }

    @BeforeAll
    static void quiet() {
        RoutingSnapshotFileFuzzCheck.quiet();
    }

    @AfterAll
    static void restore() {
        RoutingSnapshotFileFuzzCheck.restore();
    }

    @MethodSource("inputs")
    @FuzzTest
    void decode(byte[] input) throws IOException {
        Optional<FuzzInput<Decoder>> picked = FuzzInput.of(input, DECODERS);
        if (picked.isEmpty()) {
            return;
        }
        byte[] bytes = picked.get().bytes();
        switch (picked.get().decoder()) {
            case DATAGRAM -> datagrams.wayIn(bytes);
            case ROUTING_SNAPSHOT -> new RoutingSnapshotFileFuzzCheck(dir).load(bytes);
        }
    }

}
