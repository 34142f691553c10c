package dev.kadshare.transfer.store;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Positional reads and writes over the files of a {@link ContentLayout}, keeping at most a few channels
 * open (a directory share may hold thousands of files). Thread-safe (synchronized), so verified chunks can
 * be written from worker threads; once closed it never reopens a file.
 *
 * <p>Writes whose buffer address, file offset and length are all block-aligned (whole chunks, received into
 * aligned buffers) bypass the page cache (O_DIRECT) where the file system allows it: the buffered path costs
 * a copy plus the page-cache bookkeeping of every page, which measured 2.1 CPU-seconds per GiB on ext4 here
 * against 0.2 direct. Anything else (a short last chunk, a span of a directory share that is not aligned)
 * is written through the page cache; Linux keeps the two paths coherent.
 */
final class OpenFiles implements AutoCloseable {
    private static final int MAX_OPEN = 32;

    /** One file's channels: buffered always, direct where the file system takes O_DIRECT. */
    private record Handle(FileChannel buffered, Optional<FileChannel> direct, int alignment) {
        void close() throws IOException {
            try {
                buffered.close();
            } finally {
                if (direct.isPresent()) {
                    direct.get().close();
                }
            }
        }

        /** The channel to write {@code part} at {@code position} with. */
        FileChannel writerFor(ByteBuffer part, long position) {
            if (direct.isEmpty() || !part.isDirect() || position % alignment != 0 || part.remaining() % alignment != 0
                    || part.alignmentOffset(part.position(), alignment) != 0) {
                return buffered;
            }
            return direct.get();
        }
    }

    private final ContentLayout layout;
    private final boolean directWrites;
    private final boolean readOnly;
    private final Map<Path, Handle> open = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    OpenFiles(ContentLayout layout, boolean directWrites) {
        this(layout, directWrites, false);
    }

    private OpenFiles(ContentLayout layout, boolean directWrites, boolean readOnly) {
        this.layout = layout;
        this.directWrites = directWrites;
        this.readOnly = readOnly;
    }

    /** For reading only: files that are not ours (the user's, found in place) are never opened for writing. */
    static OpenFiles readOnly(ContentLayout layout) {
        return new OpenFiles(layout, false, true);
    }

    synchronized void write(long offset, ByteBuffer body) throws IOException {
        ByteBuffer src = body.duplicate();
        for (FileSpan span : layout.spans(offset, src.remaining())) {
            ByteBuffer part = src.slice(src.position(), span.length());
            long position = span.fileOffset();
            FileChannel channel = handle(span.file()).writerFor(part, position);
            while (part.hasRemaining()) {
                position += channel.write(part, position);
            }
            src.position(src.position() + span.length());
        }
    }

    synchronized void read(long offset, ByteBuffer dst) throws IOException {
        for (FileSpan span : layout.spans(offset, dst.remaining())) {
            ByteBuffer part = dst.slice(dst.position(), span.length());
            while (part.hasRemaining()) {
                if (handle(span.file()).buffered().read(part, span.fileOffset() + part.position()) < 0) {
                    throw new IOException(span.file() + " is shorter than its content");
                }
            }
            dst.position(dst.position() + span.length());
        }
    }

    /** Forces every file of the layout to disk (open ones directly, closed ones by reopening). */
    synchronized void force() throws IOException {
        if (readOnly) {
            return;
        }
        for (Path file : layout.files()) {
            handle(file).buffered().force(true);
        }
    }

    /** Whether aligned writes to {@code file} bypass the page cache (for tests). */
    synchronized boolean writesDirect(Path file) throws IOException {
        return handle(file).direct().isPresent();
    }

    private Handle handle(Path file) throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        Handle h = open.get(file);
        if (h == null) {
            if (open.size() >= MAX_OPEN) {
                var eldest = open.entrySet().iterator();
                eldest.next().getValue().close();
                eldest.remove();
            }
            h = openHandle(file);
            open.put(file, h);
        }
        return h;
    }

    private Handle openHandle(Path file) throws IOException {
        // Never through a symbolic link: whatever a link points at is not ours to write, nor to serve.
        if (readOnly) {
            return new Handle(FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS),
                    Optional.empty(), 1);
        }
        LinkFreePaths.requireLinkFree(layout.root(), file);
        FileChannel buffered = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS);
        if (!directWrites) {
            return new Handle(buffered, Optional.empty(), 1);
        }
        try {
            long blockSize = Files.getFileStore(file).getBlockSize();
            if (blockSize < 1 || blockSize > ReadPath.MAX_DIRECT_ALIGNMENT || Long.bitCount(blockSize) != 1) {
                return new Handle(buffered, Optional.empty(), 1);
            }
            FileChannel direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT,
                    LinkOption.NOFOLLOW_LINKS);
            return new Handle(buffered, Optional.of(direct), (int) blockSize);
        } catch (IOException | UnsupportedOperationException e) {
            // The file system refuses O_DIRECT (EINVAL) or cannot say its block size: the page cache it is.
            return new Handle(buffered, Optional.empty(), 1);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException first = null;
        for (Handle h : open.values()) {
            try {
                h.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
