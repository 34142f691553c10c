package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.transfer.ContentPlace;
import dev.kadshare.transfer.store.DirectIo;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.ReadPath;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanReaderTest {
    private static final int PIECE = RecordCodec.RECORD_PLAINTEXT;

    @TempDir
    Path dir;

    private final byte[] content = new byte[3 * SpanReader.BLOCK + 12_345];
    private Path file;

    private void writeContent() throws IOException {
        new Random(16).nextBytes(content);
        file = dir.resolve("part.bin");
        Files.write(file, content); // through the page cache, not forced: direct reads must see it all the same
    }

    /** Reads the span in pieces of at most {@code piece} bytes, as an encrypted link does. */
    private byte[] readSpan(ReadPath reads, long position, int count, int piece) throws IOException {
        byte[] got = new byte[count];
        byte[] dst = new byte[piece];
        try (SpanReader reader = SpanReader.of(span(file, position, count, reads))) {
            int at = 0;
            while (at < count) {
                int n = Math.min(piece, count - at);
                reader.next(dst, n);
                System.arraycopy(dst, 0, got, at, n);
                at += n;
            }
            // a direct read that failed would have gone on through the page cache: correct bytes, but not the path
            boolean direct = reads == ReadPath.DIRECT && DirectIo.supported(dir);
            assertEquals(direct, reader.readsDirect(), "read " + reads);
        }
        return got;
    }

    private ServedSpan span(Path path, long position, long count, ReadPath reads) {
        return new ServedSpan(ContentPlace.at(dir), dir, path, position, count, reads, ContentStamps.NONE, () -> { });
    }

    @Test
    void everySpanReadsTheFilesBytesEitherWay() throws IOException {
        writeContent();
        long[][] spans = {
            {0, SpanReader.BLOCK}, // aligned at both ends, one block
            {0, content.length}, // the whole file: its end is not aligned
            {SpanReader.ALIGNMENT, 2 * SpanReader.BLOCK}, // aligned, across blocks
            {70_001, 2 * SpanReader.BLOCK + 3}, // neither end aligned
            {content.length - 5_000, 5_000}, // a short last chunk
            {content.length - 1, 1},
        };
        for (ReadPath reads : ReadPath.values()) {
            for (long[] span : spans) {
                for (int piece : new int[] {PIECE, 4096, 999_999}) {
                    byte[] expected = Arrays.copyOfRange(content, (int) span[0], (int) (span[0] + span[1]));
                    assertArrayEquals(expected, readSpan(reads, span[0], (int) span[1], piece),
                            reads + " span " + Arrays.toString(span) + " in pieces of " + piece);
                }
            }
        }
    }

    @Test
    void directSpansAreReadAroundThePageCacheWhereTheFileSystemAllows() throws IOException {
        writeContent();
        assumeTrue(DirectIo.supported(dir), "the file system of " + dir + " refuses O_DIRECT");
        try (SpanReader direct = SpanReader.of(span(file, 0, 10, ReadPath.DIRECT));
                SpanReader cached = SpanReader.of(span(file, 0, 10, ReadPath.PAGE_CACHE))) {
            assertTrue(direct.readsDirect());
            assertFalse(cached.readsDirect());
        }
    }

    @Test
    void readersTakingTurnsOnOneThreadEachGetTheirOwnBytes() throws IOException {
        writeContent();
        // Both read from the same block of the same thread, whichever way they read: each must notice when the other
        // refilled it.
        int count = 3 * PIECE;
        long[] starts = {1_000, 2 * SpanReader.BLOCK + 5};
        for (ReadPath firstReads : ReadPath.values()) {
            for (ReadPath secondReads : ReadPath.values()) {
                byte[][] got = new byte[2][count];
                try (SpanReader first = SpanReader.of(span(file, starts[0], count, firstReads));
                        SpanReader second = SpanReader.of(span(file, starts[1], count, secondReads))) {
                    SpanReader[] readers = {first, second};
                    byte[] dst = new byte[PIECE];
                    for (int at = 0; at < count; at += PIECE) {
                        for (int r = 0; r < 2; r++) {
                            readers[r].next(dst, PIECE, count - at);
                            System.arraycopy(dst, 0, got[r], at, PIECE);
                        }
                    }
                }
                for (int r = 0; r < 2; r++) {
                    byte[] expected = Arrays.copyOfRange(content, (int) starts[r], (int) starts[r] + count);
                    assertArrayEquals(expected, got[r], "reader " + r + " of " + firstReads + ", " + secondReads);
                }
            }
        }
    }

    @Test
    void aSpanHandedOutBeforeItsContentMovedIntoPlaceIsReadAtTheNewName() throws IOException {
        writeContent();
        int count = SpanReader.BLOCK + 7;
        byte[] expected = Arrays.copyOfRange(content, 3, 3 + count);
        for (ReadPath reads : ReadPath.values()) {
            // a partial file: hard-linked to its final name, told, then its own name goes (as ChunkStore moves it)
            Path part = Files.copy(file, dir.resolve(".big.bin.kadshare-part"));
            ContentPlace place = ContentPlace.at(part);
            ServedSpan span = new ServedSpan(place, part, part, 3, count, reads, ContentStamps.NONE, () -> { });
            Path placed = Files.createLink(dir.resolve("big-" + reads + ".bin"), part);
            place.movedTo(placed);
            Files.delete(part);
            assertArrayEquals(expected, readWhole(span, count), "a file, " + reads);

            // a partial directory, renamed into place, then told
            Path partDir = Files.createDirectories(dir.resolve(".tree.kadshare-part").resolve("sub"));
            Files.copy(file, partDir.resolve("f.bin"));
            ContentPlace tree = ContentPlace.at(partDir.getParent());
            ServedSpan inTree = new ServedSpan(tree, partDir.getParent(), partDir.resolve("f.bin"), 3, count, reads,
                    ContentStamps.NONE, () -> { });
            Path movedTree = Files.move(partDir.getParent(), dir.resolve("tree-" + reads));
            tree.movedTo(movedTree);
            assertArrayEquals(expected, readWhole(inTree, count), "a directory's file, " + reads);
        }
    }

    private static byte[] readWhole(ServedSpan span, int count) throws IOException {
        byte[] got = new byte[count];
        try (SpanReader reader = SpanReader.of(span)) {
            reader.next(got, count);
        }
        return got;
    }

    @Test
    void aSpanWhoseFileIsALinkOrChangedSinceItWasSharedIsNotRead() throws IOException {
        writeContent();
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), file);
        for (ReadPath reads : ReadPath.values()) {
            assertThrows(IOException.class, () -> SpanReader.of(span(link, 3, 10, reads)), "through a link, " + reads);
        }
        ContentStamps shared = ContentStamps.ofTree(file);
        Files.write(file, new byte[] {1}, StandardOpenOption.APPEND);
        int[] told = {0};
        IOException changed = assertThrows(IOException.class, () -> SpanReader.of(
                new ServedSpan(ContentPlace.at(dir), dir, file, 0, 10, ReadPath.DIRECT, shared, () -> told[0]++)));
        assertTrue(changed.getMessage().contains("changed since it was shared"), changed.getMessage());
        assertEquals(1, told[0], "the change told, as the hub tells one it finds at hand-out");
    }

    @Test
    void aFileShorterThanItsSpanEndsInAnEofEitherWay() throws IOException {
        writeContent();
        for (ReadPath reads : ReadPath.values()) {
            assertThrows(EOFException.class, () -> readSpan(reads, content.length - 100, 200, PIECE), reads.name());
            assertThrows(EOFException.class, () -> readSpan(reads, content.length + 70_000, 10, PIECE), reads.name());
        }
    }

    @Test
    void aPieceLongerThanWhatIsLeftOfTheSpanIsRefused() throws IOException {
        writeContent();
        try (SpanReader reader = SpanReader.of(span(file, 0, 10, ReadPath.DIRECT))) {
            reader.next(new byte[10], 6);
            assertThrows(IllegalArgumentException.class, () -> reader.next(new byte[10], 5));
            ByteBuffer expected = ByteBuffer.wrap(content, 6, 4);
            byte[] rest = new byte[4];
            reader.next(rest, 4);
            assertEquals(expected, ByteBuffer.wrap(rest));
        }
    }
}
