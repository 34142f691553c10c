package dev.kadshare.transfer.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.Hostile;
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

    @Test
    void aFileIsFoundToBeADirectoryWhateverSortsBetweenThem() throws Exception {
        // ' ', '!' and '-' sort before '/': "a/b" is not next to "a" in plain string order.
        assertThrows(IllegalArgumentException.class, () -> Manifest.ofFiles("dir", List.of(new ContentFile("a/b", 5),
                new ContentFile("a b", 0), new ContentFile("a!", 0), new ContentFile("a-c/d", 0),
                new ContentFile("a", 5)), 1024, List.of(ZERO_HASH)));
        Manifest fine = Manifest.ofFiles("dir", List.of(new ContentFile("a b/c", 5), new ContentFile("a", 5),
                new ContentFile("a-c/d", 0), new ContentFile("ab/c", 0)), 1024, List.of(ZERO_HASH));
        assertEquals(4, Manifest.decode(fine.canonicalBytes()).files().size());
    }

    @Test
    void deepPathsCostTheDecoderInProportionToTheirBytes() throws Exception {
        // 100 paths of 2,040 directories each, 400 KB in all: every directory prefix of every path used to be
        // copied out to look it up, 470 MiB allocated here (18 GiB and 16 s for a manifest filling one frame).
        int files = 100;
        byte[] manifest = Hostile.deepDirectoryManifest(files);
        long before = Hostile.allocatedBytes();
        assertEquals(files, Manifest.decode(manifest).files().size());
        long allocated = Hostile.allocatedBytes() - before;
        // Linear now, if not small: each path component becomes a String of its own and is checked as a name.
        assertTrue(allocated < 256L * manifest.length, "decoding " + manifest.length + " bytes allocated " + allocated);
    }

    @ParameterizedTest
    @ValueSource(ints = {Manifest.MAX_FILES, Manifest.MAX_FILES + 1})
    void aDirectoryHoldsAtMostMaxFiles(int files) throws Exception {
        // Empty files of short names: the most a manifest frame lists, about a tenth of which a node takes.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'K', 'S', 'M', 'F', 2});
        out.writeShort(1);
        out.write('d');
        out.writeInt(files);
        for (int i = 0; i < files; i++) {
            byte[] path = Integer.toString(i, 36).getBytes(StandardCharsets.UTF_8);
            out.writeShort(path.length);
            out.write(path);
            out.writeLong(0);
        }
        out.writeInt(1024);
        out.writeInt(0);
        if (files <= Manifest.MAX_FILES) {
            assertEquals(files, Manifest.decode(bytes.toByteArray()).files().size());
        } else {
            MalformedManifestException e = assertThrows(MalformedManifestException.class,
                    () -> Manifest.decode(bytes.toByteArray()));
            assertEquals("a directory of 100001 files: one content holds at most 100000", e.getMessage());
        }
    }
}
