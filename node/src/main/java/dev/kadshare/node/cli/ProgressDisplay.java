package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Shows a download's progress: a redrawn bar on a terminal, a plain line per change otherwise. */
final class ProgressDisplay {
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private String lastLine = "";

    ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(JsonNode status) {
        String state = status.path("state").asText();
        int verified = status.path("chunksVerified").asInt();
        int total = status.path("chunksTotal").asInt();
        long bytes = status.path("bytesDownloaded").asLong();
        int peers = status.path("peers").size();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = bytes / seconds;
        int percent = total == 0 ? (state.equals("COMPLETE") ? 100 : 0) : (int) (100L * verified / total);
        String eta = rate > 0 && total > 0 && verified < total
                ? formatSeconds((long) ((status.path("size").asLong() - bytes) / rate))
                : "-";
        String line;
        if (state.equals("SEARCHING")) {
            line = "searching for peers of " + status.path("name").asText();
        } else {
            line = String.format("%s %3d%% %d/%d chunks %s/s eta %s, %d peer(s)", status.path("name").asText(),
                    percent, verified, total, formatBytes(rate), eta, peers);
        }
        if (terminal) {
            int filled = percent * BAR_WIDTH / 100;
            out.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + line + "   ");
            out.flush();
        } else if (!line.equals(lastLine) && !sameProgress(line)) {
            out.println(line);
        }
        lastLine = line;
    }

    /** Plain output prints a line when the chunk count moves, not on every rate wobble. */
    private boolean sameProgress(String line) {
        int cut = line.indexOf(" chunks ");
        return cut > 0 && lastLine.length() > cut && lastLine.regionMatches(0, line, 0, cut);
    }

    void finish() {
        if (terminal) {
            out.println();
        }
    }

    static String formatBytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return String.format("%.1f %s", bytes, units[unit]);
    }

    private static String formatSeconds(long s) {
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
