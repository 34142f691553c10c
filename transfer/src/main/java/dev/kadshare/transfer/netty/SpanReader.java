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
 * Reads a served span of one file in order, piece by piece, for an encrypted link to seal into records. A span to read
 * {@link ReadPath#DIRECT} is read around the page cache (O_DIRECT) in aligned blocks of {@link #BLOCK} bytes; a
 * {@link ReadPath#PAGE_CACHE} one, or one whose file system refuses O_DIRECT, positionally through the page cache. In
 * a 1 + 4 swarm the page cache's read-ahead past served chunks of partial files, zero-filling their holes, took a
 * twentieth of all the daemons' CPU.
 */
final class SpanReader implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(SpanReader.class);
    /** Direct reads go in blocks this large: four per 4 MiB chunk, each long enough to run at the disk's speed. */
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
     * thread may take its turn: a direct read fills the thread's block with those only (block-aligned), not a whole
     * block that the next reader would read over again.
     */
    void next(byte[] dst, int length, long turn) throws IOException {
        long want = Math.max(length, turn);
        if (length > end - at) {
            throw new IllegalArgumentException(length + " bytes asked, " + (end - at) + " left of the span");
        }
        if (direct.isPresent()) {
            long from = at;
            try {
                nextDirect(dst, length, want);
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
        ByteBuffer target = ByteBuffer.wrap(dst, 0, length);
        while (target.hasRemaining()) {
            if (buffered.read(target, at + target.position()) < 0) {
                throw new EOFException("file ended inside a chunk's span");
            }
        }
        at += length;
    }

    private void nextDirect(byte[] dst, int length, long want) throws IOException {
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
     * Reads the aligned block that holds {@link #at}, up to {@code want} bytes on from it (at most the block, at most
     * the span's end) rounded up to the alignment.
     */
    private void fill(long want) throws IOException {
        block = BLOCKS.get();
        block.holder = this;
        ByteBuffer bytes = block.bytes;
        blockStart = at - at % ALIGNMENT;
        bytes.clear().limit((int) Math.min(BLOCK, roundUp(Math.min(end, at + want)) - blockStart));
        FileChannel file = direct.orElseThrow();
        // A read that stops short of a multiple of the alignment stopped at the file's end.
        while (bytes.hasRemaining() && bytes.position() % ALIGNMENT == 0) {
            if (file.read(bytes, blockStart + bytes.position()) < 0) {
                break;
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
