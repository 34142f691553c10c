package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.IntSupplier;

/**
 * Shows a download's progress: on a terminal one line redrawn to the terminal's current width, otherwise a
 * plain line each time the chunk count (or why it waits) changes. Rate and ETA are the daemon's
 * ({@code downloadRate}, {@code etaSeconds}, over its last few seconds), so re-attaching to a running download shows
 * no burst; "-" while it reports none.
 */
final class ProgressDisplay {
    private final PrintStream out;
    private final Optional<IntSupplier> terminalWidth;
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

    /** The daemon's figures: they cover the last few seconds however long this display has been watching. */
    private static ProgressLine lineOf(JsonNode status) {
        OptionalDouble rate = status.path("downloadRate").isNumber()
                ? OptionalDouble.of(status.path("downloadRate").asDouble()) : OptionalDouble.empty();
        OptionalLong eta = status.path("etaSeconds").isNumber()
                ? OptionalLong.of(status.path("etaSeconds").asLong()) : OptionalLong.empty();
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
