package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jline.utils.WCWidth;

/**
 * The text of a download's progress, from its status JSON: a bar fitted to a terminal's width, or a plain line.
 * On a terminal what matters most is kept as the line narrows: percent, rate, ETA and peers first, then the
 * name (shortened with "…"), then the bar.
 */
final class ProgressLine {
    static final int MAX_BAR = 30;
    private static final int MIN_BAR = 10;
    private static final int MIN_NAME = 8;

    private final String state;
    private final String name;
    /** Why a searching transfer waits ({@code reason}), or empty. */
    private final String reason;
    private final int percent;
    private final int verified;
    private final int total;
    private final OptionalDouble rate;
    private final OptionalLong eta;
    private final int peers;

    /**
     * @param rate bytes per second, when known
     * @param eta seconds left, when known
     */
    ProgressLine(JsonNode status, OptionalDouble rate, OptionalLong eta) {
        this.state = status.path("state").asText();
        this.name = TerminalText.escape(status.path("name").asText());
        this.reason = status.hasNonNull("reason") ? TerminalText.escape(status.path("reason").asText()) : "";
        this.verified = status.path("chunksVerified").asInt();
        this.total = status.path("chunksTotal").asInt();
        this.percent = total == 0 ? (state.equals("COMPLETE") ? 100 : 0) : (int) (100L * verified / total);
        this.rate = rate;
        this.eta = eta;
        this.peers = status.path("peers").size();
    }

    private boolean searching() {
        return state.equals("SEARCHING");
    }

    private String searchingLine() {
        return "searching for peers of " + name + (reason.isEmpty() ? "" : ": " + reason);
    }

    private String stats() {
        return String.format(Locale.ROOT, "%3d%% %s eta %s, %d peer(s)", percent,
                rate.isPresent() ? Units.rate(rate.getAsDouble()) : "-",
                eta.isPresent() ? Units.duration(eta.getAsLong()) : "-", peers);
    }

    /** One line for a log or a pipe, with the chunk count (printed again only when it moves). */
    String plain() {
        if (searching()) {
            return searchingLine();
        }
        return String.format(Locale.ROOT, "%s %d/%d chunks %s", name, verified, total, stats().trim());
    }

    /**
     * The chunk count and the reason of {@link #plain()}: two lines with the same key show the same progress. Numbers
     * in the reason (the countdown to the next lookup) are left out, so a pipe gets a line per cause, not per second.
     */
    String progressKey() {
        return state + " " + verified + "/" + total + " " + reason.replaceAll("[0-9]+", "#");
    }

    /** The bar line for a terminal {@code width} columns wide, never reaching the last column (no wrap). */
    String fitted(int width) {
        int room = Math.max(1, width - 1);
        if (searching()) {
            return shorten(searchingLine(), room);
        }
        String stats = stats();
        if (columns(stats) >= room) {
            return shorten(stats.trim(), room);
        }
        int left = room - columns(stats) - 1;
        int bar = Math.min(MAX_BAR, left - 3 - Math.min(columns(name), MIN_NAME));
        StringBuilder line = new StringBuilder();
        if (bar >= MIN_BAR) {
            int filled = percent * bar / 100;
            line.append('[').append("#".repeat(filled)).append(" ".repeat(bar - filled)).append("] ");
            left -= bar + 3;
        }
        if (left >= 4) {
            line.append(shorten(name, left)).append(' ');
        }
        return line.append(stats).toString();
    }

    /** {@code text} cut to at most {@code columns} terminal columns, ending in "…" when cut. */
    static String shorten(String text, int columns) {
        if (columns(text) <= columns) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int w = Math.max(0, WCWidth.wcwidth(cp));
            if (used + w > columns - 1) {
                break;
            }
            sb.appendCodePoint(cp);
            used += w;
            i += Character.charCount(cp);
        }
        return sb.append('…').toString();
    }

    /** How many terminal columns {@code text} takes (wide East Asian characters take two). */
    static int columns(String text) {
        return text.codePoints().map(cp -> Math.max(0, WCWidth.wcwidth(cp))).sum();
    }
}
