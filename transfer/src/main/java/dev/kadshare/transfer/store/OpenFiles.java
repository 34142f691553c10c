package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Positional reads and writes over the files of a {@link ContentLayout}, keeping at most a few channels
 * open (a directory share may hold thousands of files). Thread-safe (synchronized), so verified chunks can
 * be written from worker threads; once closed it never reopens a file.
 */
final class OpenFiles implements AutoCloseable {
    private static final int MAX_OPEN = 32;

    private final ContentLayout layout;
    private final Map<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    OpenFiles(ContentLayout layout) {
        this.layout = layout;
    }

    synchronized void write(long offset, ByteBuffer body) throws IOException {
        ByteBuffer src = body.duplicate();
        for (FileSpan span : layout.spans(offset, src.remaining())) {
            ByteBuffer part = src.slice(src.position(), span.length());
            long position = span.fileOffset();
            while (part.hasRemaining()) {
                position += channel(span.file()).write(part, position);
            }
            src.position(src.position() + span.length());
        }
    }

    synchronized void read(long offset, ByteBuffer dst) throws IOException {
        for (FileSpan span : layout.spans(offset, dst.remaining())) {
            ByteBuffer part = dst.slice(dst.position(), span.length());
            while (part.hasRemaining()) {
                if (channel(span.file()).read(part, span.fileOffset() + part.position()) < 0) {
                    throw new IOException(span.file() + " is shorter than its content");
                }
            }
            dst.position(dst.position() + span.length());
        }
    }

    /** Forces every file of the layout to disk (open ones directly, closed ones by reopening). */
    synchronized void force() throws IOException {
        for (Path file : layout.files()) {
            channel(file).force(true);
        }
    }

    private FileChannel channel(Path file) throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        FileChannel ch = open.get(file);
        if (ch == null) {
            if (open.size() >= MAX_OPEN) {
                var eldest = open.entrySet().iterator();
                eldest.next().getValue().close();
                eldest.remove();
            }
            ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            open.put(file, ch);
        }
        return ch;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException first = null;
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
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
