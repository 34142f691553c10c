package dev.kadshare.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets the log level and, for the daemon, adds the data dir's log file beside stderr. */
final class Logging {
    private static final java.util.Map<String, Level> LEVELS = java.util.Map.of("error", Level.ERROR, "warn", Level.WARN,
            "info", Level.INFO, "debug", Level.DEBUG, "trace", Level.TRACE);

    private Logging() {}

    /** The level a name means; an {@link IllegalArgumentException} for one that is none. */
    static Level parseLevel(String name) {
        Level level = LEVELS.get(name.strip().toLowerCase(java.util.Locale.ROOT));
        if (level == null) {
            throw new IllegalArgumentException("unknown log level '" + name + "' (use error, warn, info, debug or trace)");
        }
        return level;
    }

    static void level(Level level) {
        root().setLevel(level);
    }

    static void toFile(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setFile(file.toString());
        appender.setAppend(true);
        root().addAppender(started(appender, "file", "%d{ISO8601} %-5level [%thread] %logger{36} - %escapedMsg%n", context));
    }

    /** {@code appender}, named, writing lines of {@code pattern} in {@code context}, started. */
    static <A extends OutputStreamAppender<ILoggingEvent>> A started(A appender, String name, String pattern,
            LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }
}
