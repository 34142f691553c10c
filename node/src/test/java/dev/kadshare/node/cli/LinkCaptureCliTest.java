package dev.kadshare.node.cli;

import com.google.common.primitives.Bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.testkit.RandomFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's privacy target, on the wire: everything two daemons send each other over TCP during a {@code get},
 * captured by tcpdump on the loopback interface, contains neither the file's bytes nor its name nor its content id.
 * Needs root and tcpdump (installed by the README's test command when it runs as root); skipped with the reason
 * otherwise.
 */
class LinkCaptureCliTest {
    private static final int SIZE = 4 << 20;
    /** Slices of the file looked for in the capture: short enough to sit inside one captured segment. */
    private static final int SLICE = 512;
    private static final int SLICES = 64;
    private static final String NAME = "holiday-plans-7f3a9c.bin";

    @TempDir
    static Path dir;
    private static Path sharer;
    private static Path getter;
    private static final CliDaemons daemons = new CliDaemons();

    @BeforeAll
    static void startDaemons() throws Exception {
        sharer = dir.resolve("sharer");
        daemons.start(sharer);
        getter = dir.resolve("getter");
        daemons.start(getter, "--bootstrap", CliDaemons.bootstrapThrough(sharer));
        CliDaemons.awaitJoined(getter);
    }

    @AfterAll
    static void stopDaemons() {
        daemons.close();
    }

    @Test
    void aCaptureOfAGetHoldsNeitherTheFileNorItsNameNorItsId() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "capturing on the loopback interface needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump")),
                "needs Debian's tcpdump (apt-get install tcpdump)");
        Path file = RandomFiles.write(dir.resolve("src").resolve(NAME), SIZE, 14);
        String link = CliDaemons.share(sharer, file);
        int transferPort = CliDaemons.status(sharer).path("transferPort").asInt();
        Path pcap = dir.resolve("get.pcap");

        Process capture = new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-n", "-s", "0", "-B", "65536", "-w", pcap.toString(),
                "tcp port " + transferPort).redirectErrorStream(true).redirectOutput(dir.resolve("tcpdump.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !capture.isAlive()
                    || Files.readString(dir.resolve("tcpdump.log")).contains("listening on"));
            assertTrue(capture.isAlive(), "tcpdump did not start: " + Files.readString(dir.resolve("tcpdump.log")));
            CliRun got = CompletableFuture.supplyAsync(() -> CliRun.of("get", "--data-dir", getter.toString(), link,
                    "--out", dir.resolve("out").toString())).get(90, TimeUnit.SECONDS);
            assertEquals(0, got.exitCode(), got.toString());
            assertTrue(Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("out").resolve(NAME))));
            // tcpdump writes packets a little after they went by, and loses what it has not read when stopped.
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(pcap) > SIZE);
        } finally {
            capture.destroy(); // SIGTERM: tcpdump writes out what it holds and exits
            if (!capture.waitFor(20, TimeUnit.SECONDS)) {
                capture.destroyForcibly();
            }
        }

        byte[] captured = Files.readAllBytes(pcap);
        // The capture saw the whole transfer (at least the file's size, nothing dropped), so finding nothing below
        // means something.
        String log = Files.readString(dir.resolve("tcpdump.log"));
        assertTrue(captured.length > SIZE && !log.matches("(?s).*\\b[1-9][0-9]* packets dropped by kernel.*"),
                "captured " + captured.length + " bytes: " + log);
        byte[] content = Files.readAllBytes(file);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < SLICES; i++) {
            int offset = (int) ((long) i * (SIZE - SLICE) / (SLICES - 1));
            if (Bytes.indexOf(captured, Arrays.copyOfRange(content, offset, offset + SLICE)) >= 0) {
                found.add(offset);
            }
        }
        assertEquals(List.of(), found, "file bytes at these offsets went over the wire in clear");
        assertEquals(-1, Bytes.indexOf(captured, NAME.getBytes(StandardCharsets.UTF_8)), "the file's name went in clear");
        byte[] contentId = HexFormat.of().parseHex(CliDaemons.idOf(link));
        assertEquals(-1, Bytes.indexOf(captured, contentId), "the content id went in clear");
    }
}
