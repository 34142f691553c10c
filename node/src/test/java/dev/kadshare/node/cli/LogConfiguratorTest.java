package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The logging commands start with: warnings on stderr, one line each, control characters from peers escaped. */
class LogConfiguratorTest {
    @Test
    void warningsGoToStderrEscapedAndQuieterLevelsDoNot() {
        List<String> lines = logged(context -> {
            Logger transfer = context.getLogger("dev.kadshare.transfer.Transfer");
            transfer.warn("peer named \u001b]0;owned\u0007 sent bad data\nsecond line");
            transfer.info("an info line");
            context.getLogger("io.netty.channel.Noisy").info("netty's chatter");
            context.getLogger("io.netty.channel.Noisy").warn("netty's warning");
        });
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  Transfer - peer named .* sent bad data\\\\nsecond line"),
                lines.get(0));
        assertFalse(lines.get(0).contains("\u001b"), "the escape character itself reached the terminal");
        assertTrue(lines.get(0).contains("\\e]0;owned"), lines.get(0));
        assertTrue(lines.get(1).endsWith("WARN  Noisy - netty's warning"), lines.get(1));
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineStillWins() {
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "/nonexistent/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
            assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    /** What {@code body} logs through a fresh context set up by the configurator, as stderr's lines. */
    private static List<String> logged(java.util.function.Consumer<LoggerContext> body) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // what slf4j's provider gives its own
        try {
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(context));
            body.accept(context);
        } finally {
            context.stop();
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
