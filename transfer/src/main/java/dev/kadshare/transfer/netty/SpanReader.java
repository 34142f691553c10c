package dev.kadshare.transfer.netty;

import com.sun.nio.file.ExtendedOpenOption;
import dev.kadshare.transfer.store.ReadPath;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a served span of one file in order, piece by piece, for an encrypted link to seal into records, through a
 * block of up to {@link #BLOCK} bytes per thread, filled with as much as the caller will seal in its turn. A span to
 * read {@link ReadPath#DIRECT} is read around the page cache (O_DIRECT) in aligned blocks; a
 * {@link ReadPath#PAGE_CACHE} one, or one whose file system refuses O_DIRECT, positionally through the page cache. In
 * a 1 + 4 swarm the page cache's read-ahead past served chunks of partial files, zero-filling their holes, took a
 * twentieth of all the daemons' CPU. A read per record (64 KiB) through the page cache, into the JDK's temporary
 * buffer and copied from there, took 15.6 % of a seeder's samples in a warm 1 GiB get; a turn's read (about 450 KiB),
 * 12.1 %, and 2,400 reads a GiB instead of 16,640.
 */
final class SpanReader implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(SpanReader.class);
    /** Reads go in blocks at most this large: four per 4 MiB chunk, each long enough to run at the disk's speed. */
    static final int BLOCK = 1 << 20;
    /**
     * Direct reads start, and blocks are placed in memory, on this boundary: every power-of-two block size a file
     * system asks O_DIRECT to be aligned to, up to the largest the store writes directly to.
     */
    static final int ALIGNMENT = ReadPath.MAX_DIRECT_ALIGNMENT;

    /**
     * One block per thread, kept for the thread's life: spans are read on the channels' event loops, a handful of
     * threads. Taken from Netty's pools for each span instead, the daemons of a 1 + 4 swarm peaked at up to 273 MB
     * resident (six runs), against 223 at most before and 216 at most this way.
     */
    private static final FastThreadLocal<Block> BLOCKS = new FastThreadLocal<>() {
        @Override
        protected Block initialValue() {
            return new Block(ByteBuffer.allocateDirect(BLOCK + ALIGNMENT).alignedSlice(ALIGNMENT).limit(BLOCK).slice());
        }
    };

    /** A thread's block, and the reader whose bytes it holds now. */
    private static final class Block {
        final ByteBuffer bytes;
        SpanReader holder;

        Block(ByteBuffer bytes) {
            this.bytes = bytes;
        }
    }

    private final FileChannel buffered;
    private final long end;
    private Optional<FileChannel> direct;
    /** This thread's block, while reading directly: the file's bytes from {@link #blockStart}, as many as were read. */
    private Block block;
    private long blockStart;
    /** The file position of the span's next byte. */
    private long at;

    private SpanReader(FileChannel buffered, Optional<FileChannel> direct, long position, long count) {
        this.buffered = buffered;
        this.direct = direct;
        this.at = position;
        this.end = position + count;
    }

    /** A reader of {@code served}, its file opened now where the content is, and closed with the reader. */
    static SpanReader of(ServedSpan served) throws IOException {
        ServedSpan.Opened file = served.open();
        // Opened again around the page cache at the same name; should the move take that name meanwhile, the page cache.
        return new SpanReader(file.channel(), direct(file.path(), served.reads()), served.position(), served.count());
    }

    /** {@code path} opened again around the page cache, if {@code reads} says so and the file system lets it. */
    private static Optional<FileChannel> direct(Path path, ReadPath reads) {
        if (reads != ReadPath.DIRECT) {
            return Optional.empty();
        }
        try {
            return Optional.of(FileChannel.open(path, StandardOpenOption.READ, ExtendedOpenOption.DIRECT,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            // The file system refuses O_DIRECT (EINVAL), or the path became a link: the page cache it is.
            log.debug("reading {} through the page cache: {}", path, e.toString());
            return Optional.empty();
        }
    }

    /** Bytes of the span not read yet. */
    long left() {
        return end - at;
    }

    /** Whether it reads around the page cache (for tests). */
    boolean readsDirect() {
        return direct.isPresent();
    }

    /** Reads the span's next {@code length} bytes into {@code dst} from 0; an EOFException if the file ends first. */
    void next(byte[] dst, int length) throws IOException {
        next(dst, length, end - at);
    }

    /**
     * As {@link #next(byte[], int)}, for a caller about to read {@code turn} bytes in all before another reader on this
     * thread may take its turn: either read path fills the thread's block with those only (a direct one block-aligned),
     * not a whole block that the next reader would read over again.
     */
    void next(byte[] dst, int length, long turn) throws IOException {
        long want = Math.max(length, turn);
        if (length > end - at) {
            throw new IllegalArgumentException(length + " bytes asked, " + (end - at) + " left of the span");
        }
        if (direct.isPresent()) {
            long from = at;
            try {
                nextFromBlock(dst, length, want);
                return;
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                // Refused for its alignment, say, where the file system wants more than ALIGNMENT: read the rest
                // through the page cache, which fails again if the file really cannot be read.
                log.debug("reading {} bytes at {} through the page cache: {}", length, from, e.toString());
                at = from;
                closeDirect();
            }
        }
        nextFromBlock(dst, length, want);
    }

    private void nextFromBlock(byte[] dst, int length, long want) throws IOException {
        int done = 0;
        while (done < length) {
            // Another reader on this thread (a span written from within a write's listener) may have refilled it.
            if (block == null || block.holder != this || at < blockStart || at >= blockStart + block.bytes.limit()) {
                fill(want);
            }
            int from = (int) (at - blockStart);
            int n = Math.min(length - done, block.bytes.limit() - from);
            block.bytes.get(from, dst, done, n);
            done += n;
            at += n;
        }
    }

    /**
     * Reads into this thread's block from {@link #at}, up to {@code want} bytes on from it (at most the block, at most the
     * span's end): directly, the aligned block that holds it, rounded up to the alignment; else through the page cache.
     */
    private void fill(long want) throws IOException {
        block = BLOCKS.get();
        block.holder = this;
        ByteBuffer bytes = block.bytes;
        if (direct.isPresent()) {
            blockStart = at - at % ALIGNMENT;
            bytes.clear().limit((int) Math.min(BLOCK, roundUp(Math.min(end, at + want)) - blockStart));
            FileChannel file = direct.get();
            // A read that stops short of a multiple of the alignment stopped at the file's end.
            while (bytes.hasRemaining() && bytes.position() % ALIGNMENT == 0) {
                if (file.read(bytes, blockStart + bytes.position()) < 0) {
                    break;
                }
            }
        } else {
            blockStart = at;
            bytes.clear().limit((int) Math.min(BLOCK, Math.min(end, at + want) - at));
            while (bytes.hasRemaining()) {
                if (buffered.read(bytes, blockStart + bytes.position()) < 0) {
                    break;
                }
            }
        }
        bytes.flip();
        if (at >= blockStart + bytes.limit()) {
            block.holder = null;
            throw new EOFException("file ended inside a chunk's span");
        }
    }

    private static long roundUp(long position) {
        return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private void closeDirect() throws IOException {
        if (block != null && block.holder == this) {
            block.holder = null;
        }
        block = null;
        if (direct.isPresent()) {
            FileChannel file = direct.get();
            direct = Optional.empty();
            file.close();
        }
    }

    /** Closes the span's file. */
    @Override
    public void close() throws IOException {
        try {
            closeDirect();
        } finally {
            buffered.close();
        }
    }
}
