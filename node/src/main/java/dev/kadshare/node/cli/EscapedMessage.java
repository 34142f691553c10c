package dev.kadshare.node.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log pattern's {@code %escapedMsg}: the message with control characters escaped, since log lines quote
 * names that remote peers chose and the daemon's log goes to a terminal too; one event stays one line.
 */
public final class EscapedMessage extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return TerminalText.escape(event.getFormattedMessage());
    }
}
