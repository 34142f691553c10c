package dev.kadshare.node.cli;

/**
 * Makes a string safe to print on a terminal. Names, links and errors can come from a remote peer (a manifest's
 * name is its sharer's choice), and an ESC, a carriage return or a bidirectional override printed as it is can
 * rewrite what the user sees; each such character is shown as an escape ({@code \e}, {@code \r}, {@code \u202e}).
 */
public final class TerminalText {
    private TerminalText() {}

    /** {@code text} with every control, format (bidi, zero-width), line/paragraph separator or lone surrogate escaped. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (unsafe(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                sb.append(escapeOf(cp));
            } else if (sb != null) {
                sb.appendCodePoint(cp);
            }
            i = next;
        }
        return sb == null ? text : sb.toString();
    }

    private static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }

    private static String escapeOf(int cp) {
        return switch (cp) {
            case 0x1b -> "\\e";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> cp <= 0xff ? String.format("\\x%02x", cp)
                    : cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp);
        };
    }
}
