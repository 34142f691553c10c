package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.IntSupplier;

/**
 * Shows a download's progress: on a terminal one line redrawn to the terminal's current width, otherwise a
 * plain line each time the chunk count moves. Rate and ETA are the daemon's ({@code downloadRate},
 * {@code etaSeconds}) when it reports them, else the average since this display started.
 */
final class ProgressDisplay {
    private final PrintStream out;
    private final Optional<IntSupplier> terminalWidth;
    private final long startNanos = System.nanoTime();
    private long startBytes = -1;
    private String lastKey = "";
    private boolean lineOpen;
    private boolean closed;

    /** @param terminalWidth the terminal's width in columns, read at each redraw; empty when not a terminal */
    ProgressDisplay(PrintStream out, Optional<IntSupplier> terminalWidth) {
        this.out = out;
        this.terminalWidth = terminalWidth;
    }

    synchronized void show(JsonNode status) {
        if (closed) {
            return;
        }
        ProgressLine line = lineOf(status);
        if (terminalWidth.isPresent()) {
            // Clear to the end of the line: the terminal may have narrowed since the last, longer line.
            out.print("\r" + line.fitted(terminalWidth.get().getAsInt()) + "\u001b[K");
            out.flush();
            lineOpen = true;
        } else if (!line.progressKey().equals(lastKey)) {
            out.println(line.plain());
            lastKey = line.progressKey();
        }
    }

    private ProgressLine lineOf(JsonNode status) {
        long bytes = status.path("bytesDownloaded").asLong();
        if (startBytes < 0) {
            startBytes = bytes;
        }
        OptionalDouble rate;
        if (status.path("downloadRate").isNumber()) {
            rate = OptionalDouble.of(status.path("downloadRate").asDouble());
        } else {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            // What this run has seen arrive, not what an earlier run already had: no burst on re-attaching.
            rate = seconds < 1 ? OptionalDouble.empty() : OptionalDouble.of((bytes - startBytes) / seconds);
        }
        OptionalLong eta;
        if (status.path("etaSeconds").isNumber()) {
            eta = OptionalLong.of(status.path("etaSeconds").asLong());
        } else if (rate.isPresent() && rate.getAsDouble() > 0 && status.path("size").asLong() > bytes) {
            eta = OptionalLong.of((long) ((status.path("size").asLong() - bytes) / rate.getAsDouble()));
        } else {
            eta = OptionalLong.empty();
        }
        return new ProgressLine(status, rate, eta);
    }

    /** Ends the progress line, so what follows starts on a line of its own; later updates are ignored. */
    synchronized void finish() {
        if (lineOpen) {
            out.println();
            out.flush();
            lineOpen = false;
        }
        closed = true;
    }
}
