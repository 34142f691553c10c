package dev.kadshare.node.cli;

import java.io.IOException;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The width of the terminal this process writes to, through JLine, for as long as the process runs. */
final class TerminalWidth {
    /** Used when the terminal does not say (a dumb terminal reports 0). */
    static final int FALLBACK = 80;

    private TerminalWidth() {}

    /** A reader of the current width when stdin and stdout are a terminal; empty otherwise (pipes, files). */
    static Optional<IntSupplier> ofSystemTerminal() {
        if (System.console() == null) {
            return Optional.empty();
        }
        Terminal terminal;
        try {
            // nativeSignals(false): JLine leaves SIGINT alone, so Ctrl-C still runs the JVM's shutdown hooks.
            terminal = TerminalBuilder.builder().system(true).nativeSignals(false).dumb(true).build();
        } catch (IOException | RuntimeException e) {
            return Optional.of(() -> FALLBACK);
        }
        return Optional.of(() -> {
            int width = terminal.getWidth();
            return width > 0 ? width : FALLBACK;
        });
    }
}
