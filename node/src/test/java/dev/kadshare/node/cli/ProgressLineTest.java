package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kadshare.node.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress line of {@code get}, rendered at several terminal widths and as plain lines. */
class ProgressLineTest {
    private static JsonNode status(String name, String state, int verified, int total) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("contentId", "ab".repeat(32)).put("name", name).put("state", state).put("size", total * 1024L * 1024)
                .put("chunksVerified", verified).put("chunksTotal", total).put("bytesDownloaded", verified * 1024L * 1024);
        s.putArray("peers").addObject().put("address", "127.0.0.1:1");
        s.withArray("peers").addObject().put("address", "127.0.0.1:2");
        return s;
    }

    private static ProgressLine line(String name) {
        return new ProgressLine(status(name, "DOWNLOADING", 45, 100), OptionalDouble.of(1.5 * 1024 * 1024),
                OptionalLong.of(125));
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {1, 12, 20, 32, 40, 60, 80, 100, 200})
    void neverReachesTheLastColumn(int width) {
        for (String name : new String[] {"a.bin", "Holiday Video 2026 (director's cut, remastered).mp4", "日本語のファイル名がとても長い.mkv"}) {
            String fitted = line(name).fitted(width);
            assertTrue(ProgressLine.columns(fitted) <= Math.max(1, width - 1),
                    "width " + width + ": " + ProgressLine.columns(fitted) + " columns: " + fitted);
        }
    }

    @Test
    void wideTerminalShowsBarNameAndEveryFigure() {
        String fitted = line("Holiday Video 2026.mp4").fitted(120);
        assertEquals("[#############                 ] Holiday Video 2026.mp4  45% 1.5 MiB/s eta 2m05s, 2 peer(s)",
                fitted);
    }

    @Test
    void narrowerTerminalsShortenTheNameThenDropTheBarButKeepTheFigures() {
        String at60 = line("Holiday Video 2026 (director's cut, remastered).mp4").fitted(60);
        assertTrue(at60.startsWith("[") && at60.contains("…") && at60.endsWith("45% 1.5 MiB/s eta 2m05s, 2 peer(s)"), at60);
        String at50 = line("Holiday Video 2026.mp4").fitted(50);
        assertFalse(at50.contains("["), at50);
        assertTrue(at50.startsWith("Holiday V") && at50.endsWith("45% 1.5 MiB/s eta 2m05s, 2 peer(s)"), at50);
        String at32 = line("Holiday Video 2026.mp4").fitted(32);
        assertEquals("45% 1.5 MiB/s eta 2m05s, 2 pee…", at32);
    }

    @Test
    void wideCharactersCountAsTwoColumns() {
        String fitted = line("日本語のファイル名がとても長い.mkv").fitted(70);
        assertTrue(fitted.contains("日本語") && fitted.contains("…"), fitted);
        assertTrue(ProgressLine.columns(fitted) <= 69, fitted);
    }

    @Test
    void controlCharactersInTheNameAreEscaped() {
        String fitted = line("evil\u001b[2J\rname").fitted(120);
        assertFalse(fitted.chars().anyMatch(c -> c < 0x20), fitted);
        assertTrue(fitted.contains("evil\\e[2J\\rname"), fitted);
    }

    @Test
    void plainOutputPrintsALinePerChunkCountAndNoBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay display = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), Optional.empty());
        display.show(status("x.bin", "SEARCHING", 0, 0));
        display.show(status("x.bin", "DOWNLOADING", 1, 4));
        display.show(status("x.bin", "DOWNLOADING", 1, 4));
        display.show(status("x.bin", "DOWNLOADING", 4, 4));
        display.finish();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, String.join("|", lines));
        assertEquals("searching for peers of x.bin", lines[0]);
        assertTrue(lines[1].startsWith("x.bin 1/4 chunks 25% "), lines[1]);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void onATerminalTheLineIsRedrawnToTheCurrentWidthAndEndedOnFinish() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] width = {100};
        ProgressDisplay display = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Optional.of(() -> width[0]));
        display.show(status("Holiday Video 2026.mp4", "DOWNLOADING", 1, 4));
        width[0] = 40;
        display.show(status("Holiday Video 2026.mp4", "DOWNLOADING", 2, 4));
        display.finish();
        display.show(status("Holiday Video 2026.mp4", "DOWNLOADING", 3, 4));
        String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r");
        assertEquals(3, draws.length, bytes.toString(StandardCharsets.UTF_8));
        assertTrue(draws[1].startsWith("[") && ProgressLine.columns(draws[1].replace("\u001b[K", "")) <= 99, draws[1]);
        assertTrue(draws[2].endsWith("\u001b[K\n") && ProgressLine.columns(draws[2].replace("\u001b[K\n", "")) <= 39,
                draws[2]);
    }

    @Test
    void aSearchSaysWhyItWaitsAndAPipeGetsALinePerCauseNotPerSecond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay display = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), Optional.empty());
        for (String reason : new String[] {"no peers found yet; next lookup in 8 s", "no peers found yet; next lookup in 7 s",
                "no peers found yet; next lookup in 16 s", "the peer found is unreachable or lacks the content; next lookup in 1 s"}) {
            display.show(searching(reason));
        }
        display.finish();
        assertEquals("searching for peers of x.bin: no peers found yet; next lookup in 8 s\n"
                + "searching for peers of x.bin: the peer found is unreachable or lacks the content; next lookup in 1 s\n",
                bytes.toString(StandardCharsets.UTF_8));
        String fitted = new ProgressLine(searching("no peers found yet; next lookup in 8 s"), OptionalDouble.empty(),
                OptionalLong.empty()).fitted(200);
        assertEquals("searching for peers of x.bin: no peers found yet; next lookup in 8 s", fitted);
    }

    private static JsonNode searching(String reason) {
        ObjectNode s = (ObjectNode) status("x.bin", "SEARCHING", 0, 0);
        return s.put("reason", reason);
    }
}
