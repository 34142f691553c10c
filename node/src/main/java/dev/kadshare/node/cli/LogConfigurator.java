package dev.kadshare.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The logging every command starts with, set in code rather than read from an XML file: warnings and errors to stderr,
 * Netty's below WARN dropped, messages through {@link EscapedMessage} since they quote names remote peers chose. The
 * daemon then sets its level and adds its log file ({@link Logging}). Logback's XML configuration took a short command
 * about 70 ms of its start (of some 200 ms); {@code -Dlogback.configurationFile=FILE} still configures from a file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The pattern of a line on stderr; the log file's is {@link Logging}'s. */
    static final String STDERR_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %escapedMsg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        conversionRules(context).put("escapedMsg", EscapedMessage::new);
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setTarget("System.err");
        Logging.started(stderr, "stderr", STDERR_PATTERN, context);
        context.getLogger("io.netty").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The context's conversion words (what an XML file's {@code conversionRule} adds to). */
    @SuppressWarnings("unchecked")
    private static Map<String, Supplier<DynamicConverter<?>>> conversionRules(LoggerContext context) {
        Object rules = context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<String, Supplier<DynamicConverter<?>>>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        return (Map<String, Supplier<DynamicConverter<?>>>) rules;
    }
}
