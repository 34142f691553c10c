package dev.kadshare.dht;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadshare.dht.snapshot.RoutingSnapshotFileFuzzCheck;
import dev.kadshare.dht.wire.DatagramFuzzCheck;
import dev.kadshare.testkit.FuzzInput;
import java.io.IOException;
import java.nio.file.Path;
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

    /** Seeds: each decoder's own (and its empty input, {@link FuzzInput#seeds}). */
    static Stream<byte[]> inputs() {
        return FuzzInput.seeds(DECODERS,
                FuzzInput.seeds(Decoder.DATAGRAM, DatagramFuzzCheck.inputs()),
                FuzzInput.seeds(Decoder.ROUTING_SNAPSHOT, RoutingSnapshotFileFuzzCheck.snapshots()));
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
        FuzzInput.route(input, DECODERS, (decoder, bytes) -> {
            switch (decoder) {
                case DATAGRAM -> datagrams.wayIn(bytes);
                case ROUTING_SNAPSHOT -> new RoutingSnapshotFileFuzzCheck(dir).load(bytes);
            }
        });
    }

}
