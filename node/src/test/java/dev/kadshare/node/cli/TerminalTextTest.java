package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlAndFormatCharactersAreEscapedEverythingElseKept() {
        assertEquals("a\\e[2Jb\\r\\n\\t\\x00\\x7f", TerminalText.escape("a\u001b[2Jb\r\n\t\u0000\u007f"));
        assertEquals("\\x9b31m C1 CSI", TerminalText.escape("\u009b31m C1 CSI"));
        assertEquals("txt.\\u202eexe", TerminalText.escape("txt.\u202eexe"), "a bidi override cannot flip what is shown");
        assertEquals("\\u2028", TerminalText.escape("\u2028"));
        assertEquals("\\ud800x", TerminalText.escape("\ud800x"), "a lone surrogate");
        String fine = "Café 日本 🎬 (1).mkv";
        assertSame(fine, TerminalText.escape(fine));
        assertEquals("", TerminalText.escape(null));
    }

    @Test
    void escapingTwiceChangesNothingMore() {
        String once = TerminalText.escape("x\u001by\u202e");
        assertEquals(once, TerminalText.escape(once));
    }
}
