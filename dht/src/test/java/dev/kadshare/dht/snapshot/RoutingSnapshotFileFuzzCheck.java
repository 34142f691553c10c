package dev.kadshare.dht.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The fuzz check of loading the routing snapshot, run by {@link dev.kadshare.dht.DhtDecodersFuzzTest}: any file is
 * a snapshot or ignored, never an exception; what parses fails only with the parser's own IllegalArgumentException;
 * and what loads is written back as text that loads to the same snapshot and is written again byte for byte the same.
 */
public final class RoutingSnapshotFileFuzzCheck {
    private static final Logger LOG = (Logger) LoggerFactory.getLogger(RoutingSnapshotFile.class);
    private static Level level;

    private final Path dir;

    /** Checks snapshot files written to {@code dir}. */
    public RoutingSnapshotFileFuzzCheck(Path dir) {
        this.dir = dir;
    }

    /** Silences the loader's log before fuzzing: each corrupt file is a WARN line, and millions would slow it down. */
    public static void quiet() {
        level = LOG.getLevel();
        LOG.setLevel(Level.OFF);
    }

    /** Gives the loader's log its level back after fuzzing. */
    public static void restore() {
        LOG.setLevel(level);
    }

    /** Seeds: real snapshots as save writes them (the committed corpus adds edge cases and findings). */
    public static Stream<byte[]> snapshots() {
        SplittableRandom random = new SplittableRandom(18);
        return IntStream.of(0, 1, 3).mapToObj(n -> new RoutingSnapshot(NodeId.random(random),
                        IntStream.range(0, n).mapToObj(i -> new Contact(NodeId.random(random),
                                new InetSocketAddress(i % 2 == 0 ? "10.0.0." + i : "2001:db8::" + i, 4000 + i))).toList()))
                .map(s -> RoutingSnapshotFile.format(s).getBytes(StandardCharsets.UTF_8));
    }

    /** Checks one snapshot file's bytes. */
    public void load(byte[] file) throws IOException {
        Path path = dir.resolve("routing.snapshot");
        Files.write(path, file);
        Optional<RoutingSnapshot> loaded = new RoutingSnapshotFile(path).load();

        Optional<List<String>> lines = utf8Lines(file);
        if (lines.isEmpty()) {
            assertEquals(Optional.empty(), loaded);
            return;
        }
        RoutingSnapshot parsed;
        try {
            parsed = RoutingSnapshotFile.parse(lines.get());
        } catch (IllegalArgumentException e) {
            assertEquals(Optional.empty(), loaded);
            return;
        }
        assertEquals(Optional.of(parsed), loaded);
        String text = RoutingSnapshotFile.format(parsed);
        RoutingSnapshot again = RoutingSnapshotFile.parse(text.lines().toList());
        assertEquals(parsed, again);
        assertEquals(text, RoutingSnapshotFile.format(again));
    }

    /** The lines as Files.readAllLines reads them, or empty where it would fail on malformed UTF-8. */
    private static Optional<List<String>> utf8Lines(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().lines().toList());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
