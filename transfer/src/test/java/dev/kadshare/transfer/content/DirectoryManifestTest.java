package dev.kadshare.transfer.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DirectoryManifestTest {
    private static final byte[] ZERO_HASH = new byte[32];

    /** Hand-encodes a version-2 manifest with one file of 10 bytes, so any path can be tried on the decoder. */
    private static byte[] encodedWithPath(String path) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'K', 'S', 'M', 'F', 2});
        byte[] name = "dir".getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        out.writeInt(1);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        out.writeShort(p.length);
        out.write(p);
        out.writeLong(10);
        out.writeInt(1024);
        out.writeInt(1);
        out.write(ZERO_HASH);
        return bytes.toByteArray();
    }

    @Test
    void roundTripsThroughCanonicalBytes() throws Exception {
        Manifest m = Manifest.ofFiles("dir", List.of(new ContentFile("a/b.txt", 10), new ContentFile("c", 0)),
                1024, List.of(ZERO_HASH));
        Manifest back = Manifest.decode(m.canonicalBytes());
        assertEquals(m, back);
        assertTrue(back.isDirectory());
        assertEquals(10, back.length());
        assertEquals(m.files(), back.files());
    }

    @Test
    void safePathDecodes() throws Exception {
        assertEquals("x/y.bin", Manifest.decode(encodedWithPath("x/y.bin")).files().get(0).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../escape", "a/../../b", "a/..", ".", "a/./b", "", "a//b", "a/",
            "a\\..\\b", "C:\\x", "nul\0byte"})
    void traversalAndEmptyPathsAreRejectedOnDecode(String path) {
        assertThrows(MalformedManifestException.class, () -> Manifest.decode(encodedWithPath(path)));
    }

    @Test
    void aFileCannotAlsoBeADirectory() {
        assertThrows(IllegalArgumentException.class, () -> Manifest.ofFiles("dir",
                List.of(new ContentFile("a", 5), new ContentFile("a/b", 5)), 1024, List.of(ZERO_HASH)));
        assertThrows(IllegalArgumentException.class, () -> Manifest.ofFiles("dir",
                List.of(new ContentFile("a", 5), new ContentFile("a", 5)), 1024, List.of(ZERO_HASH)));
    }
}
