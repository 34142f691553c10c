package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalNameTest {
    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void controlCharactersBecomeUnderscores() {
        assertEquals("red_[31m.txt", LocalName.of("red\u001b[31m.txt"));
        assertEquals("a_b_c_d", LocalName.of("a\u0001b\u007fc\u009bd"));
        assertEquals("line_break", LocalName.of("line\nbreak"));
        assertEquals("tab_", LocalName.of("tab\t"), "a control character at the end is kept as '_', not stripped");
    }

    @Test
    void trailingDotsAndSpacesGo() {
        assertEquals("notes", LocalName.of("notes. . "));
        assertEquals("_", LocalName.of("..."), "nothing left: a placeholder, never an empty name");
        assertEquals(" lead", LocalName.of(" lead"), "leading spaces are legal everywhere");
    }

    @Test
    void windowsDeviceNamesAreDefused() {
        assertEquals("_CON", LocalName.of("CON"));
        assertEquals("_nul.txt", LocalName.of("nul.txt"));
        assertEquals("_Com1.tar.gz", LocalName.of("Com1.tar.gz"));
        assertEquals("_LPT9", LocalName.of("LPT9."));
        assertEquals("_aux .c", LocalName.of("aux .c"));
        assertEquals("console", LocalName.of("console"));
        assertEquals("COM10", LocalName.of("COM10"));
        assertEquals("my.con", LocalName.of("my.con"));
    }

    @Test
    void longNamesAreCutToTheirBytesKeepingTheExtension() {
        String longName = "é".repeat(200) + ".flac"; // 405 bytes
        String cut = LocalName.of(longName);
        assertTrue(bytes(cut) <= 255, bytes(cut) + " bytes");
        assertTrue(cut.endsWith("é.flac"), cut);
        assertEquals(125, cut.chars().filter(c -> c == 'é').count(), "cut on a character, never inside one");
        String top = LocalName.topLevel("x".repeat(255));
        assertEquals(LocalName.TOP_LEVEL_MAX_BYTES, bytes(top), "room left for the part file's suffix");
        assertTrue(bytes("." + top + ".99.kadshare-part") <= 255);
    }

    @Test
    void theTopLevelNameIsNeverHidden() {
        assertEquals("_bashrc", LocalName.topLevel(".bashrc"));
        assertEquals("_ssh", LocalName.topLevel(".ssh"));
        assertEquals("_.hidden", LocalName.topLevel("..hidden"));
        assertEquals(".bashrc", LocalName.of(".bashrc"), "inside a directory share a dot file is fine");
        assertEquals("holiday.mkv", LocalName.topLevel("holiday.mkv"));
    }

    @Test
    void takenNamesAreNumberedBeforeTheExtension() {
        assertEquals("x (1).bin", LocalName.numbered("x.bin", 1, false));
        assertEquals("backup (2).tar.gz", LocalName.numbered("backup.tar.gz", 2, false));
        assertEquals("photos.2020 (3)", LocalName.numbered("photos.2020", 3, true), "a directory has no extension");
        assertEquals("README (1)", LocalName.numbered("README", 1, false));
        String numbered = LocalName.numbered("y".repeat(255), 99, false);
        assertEquals(255, bytes(numbered));
        assertTrue(numbered.endsWith("y (99)"));
    }

    private static Manifest directory(String... paths) {
        List<ContentFile> files = new ArrayList<>();
        for (String p : paths) {
            files.add(new ContentFile(p, 0));
        }
        return Manifest.ofFiles("dir", files, 4096, List.of());
    }

    @Test
    void namesThatWouldBeOneFileHereClash() {
        assertTrue(LocalName.clash(directory("a\u0001", "a\u0002"), false).orElseThrow().contains("'a_'"));
        assertTrue(LocalName.clash(directory("notes.", "notes/x"), false).isPresent(), "a file and a directory");
        assertTrue(LocalName.clash(directory("a/b", "a/c", "b"), false).isEmpty(), "a directory shared by two files");
    }

    @Test
    void namesDifferingInCaseClashOnlyWhereCaseIsIgnored() {
        Manifest m = directory("Read.me", "read.me");
        assertTrue(LocalName.clash(m, false).isEmpty());
        assertTrue(LocalName.clash(m, true).orElseThrow().contains("ignores case"));
        assertTrue(LocalName.clash(directory("Photos/a.jpg", "photos/b.jpg"), true).isPresent(), "directories too");
    }
}
