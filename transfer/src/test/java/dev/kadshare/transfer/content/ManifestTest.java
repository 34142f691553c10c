package dev.kadshare.transfer.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {
    private static final byte[] DATA = "0123456789".getBytes(StandardCharsets.US_ASCII);

    /** "0123456789" as hello.txt in 4-byte chunks: chunks "0123", "4567", "89". */
    private static Manifest small() {
        return Manifest.of("hello.txt", 10, 4, List.of(
                Sha256.of(Arrays.copyOfRange(DATA, 0, 4)),
                Sha256.of(Arrays.copyOfRange(DATA, 4, 8)),
                Sha256.of(Arrays.copyOfRange(DATA, 8, 10))));
    }

    @Test
    void contentIdIsPinned() {
        // If this fails, the canonical format changed and every published content id broke with it.
        // The value was cross-checked with Python hashlib over the layout documented on Manifest.
        assertEquals("452f28440d489ac71b38c1a1d2b63111033d5be3214666d59bb9d4f06356f7a3", small().contentId().toHex());
    }

    @Test
    void canonicalBytesHaveTheDocumentedLayout() {
        ByteBuffer b = ByteBuffer.wrap(small().canonicalBytes());
        byte[] magic = new byte[4];
        b.get(magic);
        assertEquals("KSMF", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, b.get());
        assertEquals(9, b.getShort());
        byte[] name = new byte[9];
        b.get(name);
        assertEquals("hello.txt", new String(name, StandardCharsets.UTF_8));
        assertEquals(10L, b.getLong());
        assertEquals(4, b.getInt());
        assertEquals(3, b.getInt());
        assertEquals(3 * 32, b.remaining());
        assertEquals(ContentId.of(Sha256.of(small().canonicalBytes())), small().contentId());
    }

    @Test
    void decodeRoundTrips() throws Exception {
        Manifest m = small();
        Manifest back = Manifest.decode(m.canonicalBytes());
        assertEquals(m, back);
        assertEquals(m.contentId(), back.contentId());
        assertEquals("hello.txt", back.name());
        assertEquals(10, back.length());
        assertEquals(4, back.chunkSize());
        assertArrayEquals(m.chunkHash(2), back.chunkHash(2));
    }

    @Test
    void lastChunkMayBeShort() {
        Manifest m = small();
        assertEquals(3, m.chunkCount());
        assertEquals(4, m.chunkLength(0));
        assertEquals(4, m.chunkLength(1));
        assertEquals(2, m.chunkLength(2));
        assertEquals(8, m.chunkOffset(2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.chunkLength(3));
    }

    @Test
    void verifiesOnlyTheRightBytes() {
        Manifest m = small();
        assertTrue(m.verifies(2, ByteBuffer.wrap(Arrays.copyOfRange(DATA, 8, 10))));
        assertFalse(m.verifies(2, ByteBuffer.wrap("8x".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(m.verifies(1, ByteBuffer.wrap(Arrays.copyOfRange(DATA, 8, 10))));
        assertFalse(m.verifies(2, ByteBuffer.wrap(Arrays.copyOfRange(DATA, 7, 10))), "wrong length");
    }

    @Test
    void ofFileMatchesHandBuiltManifest(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("f"), DATA);
        assertEquals(small(), Manifest.ofFile(file, "hello.txt", 4));
        Manifest exact = Manifest.ofFile(file, "x", 5);
        assertEquals(2, exact.chunkCount());
        assertEquals(5, exact.chunkLength(1));
    }

    @Test
    void zeroByteFileHasNoChunks(@TempDir Path dir) throws Exception {
        Manifest m = Manifest.ofFile(Files.write(dir.resolve("empty"), new byte[0]), "empty", Manifest.DEFAULT_CHUNK_SIZE);
        assertEquals(0, m.chunkCount());
        assertEquals(0, m.length());
        assertEquals(m, Manifest.decode(m.canonicalBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "nul\0x", "/abs", "bad\uD800"})
    void rejectsBadNames(String name) {
        assertThrows(IllegalArgumentException.class, () -> Manifest.of(name, 0, 4, List.of()));
    }

    @Test
    void acceptsUnusualButSafeNames() {
        for (String name : List.of("...", ".hidden", "ümlaut ünïcode 🎉.txt", "a".repeat(255))) {
            assertEquals(name, Manifest.of(name, 0, 4, List.of()).name());
        }
        assertThrows(IllegalArgumentException.class, () -> Manifest.of("a".repeat(256), 0, 4, List.of()));
    }

    @Test
    void rejectsInconsistentParts() {
        assertThrows(IllegalArgumentException.class, () -> Manifest.of("x", 10, 4, List.of(new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> Manifest.of("x", 1, 4, List.of(new byte[31])));
        assertThrows(IllegalArgumentException.class, () -> Manifest.of("x", 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Manifest.of("x", -1, 4, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Manifest.of("x", 0, Manifest.MAX_CHUNK_SIZE + 1, List.of()));
    }

    @Test
    void everyTruncationIsMalformed() {
        byte[] good = small().canonicalBytes();
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(MalformedManifestException.class, () -> Manifest.decode(cut), "length " + n);
        }
    }

    @Test
    void corruptedFieldsAreMalformed() {
        byte[] good = small().canonicalBytes();
        int afterName = 7 + 9;
        assertMalformed(good, 0, (byte) 'X');                 // magic
        assertMalformed(good, 4, (byte) 2);                   // version
        assertMalformed(good, 5, (byte) 0x7F);                // name length overruns
        assertMalformed(good, 7, (byte) '/');                 // path separator in name
        assertMalformed(good, 7, (byte) 0xC3);                // invalid UTF-8
        assertMalformed(good, afterName, (byte) 0x80);        // negative length
        assertMalformed(good, afterName + 7, (byte) 13);      // length needs 4 chunks, count says 3
        assertMalformed(good, afterName + 11, (byte) 0);      // chunk size 0
        assertMalformed(good, afterName + 15, (byte) 4);      // chunk count
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(MalformedManifestException.class, () -> Manifest.decode(trailing));
        byte[] zeroName = good.clone();
        zeroName[5] = 0;
        zeroName[6] = 0;
        assertThrows(MalformedManifestException.class, () -> Manifest.decode(zeroName));
    }

    private static void assertMalformed(byte[] good, int offset, byte value) {
        byte[] bad = good.clone();
        bad[offset] = value;
        assertThrows(MalformedManifestException.class, () -> Manifest.decode(bad), "offset " + offset);
    }

    @Test
    void chunkSizeGrowsWithTheContentBetweenItsBounds() {
        long mib = 1 << 20;
        assertEquals(64 << 10, Manifest.chunkSizeFor(0), "empty content");
        assertEquals(64 << 10, Manifest.chunkSizeFor(mib), "small files: the smallest chunk");
        assertEquals(256 << 10, Manifest.chunkSizeFor(64 * mib), "256 chunks of a 64 MiB file");
        assertEquals(256 << 10, Manifest.chunkSizeFor(100 * mib), "a power of two, at least 256 chunks");
        assertEquals(1 << 20, Manifest.chunkSizeFor(256 * mib), "1 MiB at 256 MiB");
        assertEquals(2 << 20, Manifest.chunkSizeFor(512 * mib), "still 256 chunks");
        assertEquals(4 << 20, Manifest.chunkSizeFor(1024 * mib), "4 MiB from 1 GiB up");
        assertEquals(4 << 20, Manifest.chunkSizeFor(128 * 1024 * mib), "128 GiB: 32,768 chunks of 4 MiB");
        assertEquals(8 << 20, Manifest.chunkSizeFor(256 * 1024 * mib), "256 GiB: chunks grow to keep the manifest small");
        assertEquals(Manifest.MAX_CHUNK_SIZE, Manifest.chunkSizeFor(Long.MAX_VALUE / 2), "never past the frame limit");
    }
}
