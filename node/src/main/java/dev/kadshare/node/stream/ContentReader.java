package dev.kadshare.node.stream;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.Naming;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Copies a range of one file of a transfer's content to a stream, never a byte that is not verified: while the
 * content downloads, each chunk of the range is waited for in turn, and it and the next {@link #READ_AHEAD} - 1
 * chunks of the range jump the download's queue under this reader's ticket, which is released when the copy ends
 * (done, the client gone, the download stopped). While it waits, it asks every {@link #CHECK} whether the client is
 * still there: one that went away (a player seeking elsewhere) releases its chunks then, not at its next write.
 */
public final class ContentReader {
    /** Chunks asked for ahead of the one being read, so a player reading on finds them there. */
    public static final int READ_AHEAD = 8;
    /** How long one chunk may take before the reader gives up (the client is then cut off). */
    static final Duration STALL = Duration.ofMinutes(10);
    /** How often a reader waiting for a chunk checks that its client is still there. */
    static final Duration CHECK = Duration.ofMillis(250);
    /** How long the move into place may take when a reader opens the content just as it moves. */
    private static final Duration MOVE = Duration.ofSeconds(60);
    private static final int BUFFER = 64 * 1024;
    private static final AtomicLong TICKETS = new AtomicLong();

    private ContentReader() {
    }

    /**
     * Copies bytes {@code first..last} (both included) of {@code file} from {@code source} to {@code out};
     * {@code clientGone} says whether whoever reads {@code out} went away.
     */
    public static void copy(StreamSource source, StreamedFile file, long first, long last, OutputStream out,
            BooleanSupplier clientGone) throws IOException, InterruptedException {
        if (last < first) {
            return;
        }
        if (source instanceof StreamSource.Complete complete) {
            Path path = ContentLayout.of(complete.manifest(), complete.root(), complete.naming()).files()
                    .get(file.index());
            try (FileChannel ch = open(path)) {
                copy(ch, first, last - first + 1, out);
            }
        } else if (source instanceof StreamSource.Downloading downloading) {
            copyWhileDownloading(downloading.manifest(), downloading.download(), file, first, last, out, clientGone);
        } else {
            throw new IOException(((StreamSource.Unavailable) source).why());
        }
    }

    private static void copyWhileDownloading(Manifest manifest, NettyDownload download, StreamedFile file, long first,
            long last, OutputStream out, BooleanSupplier clientGone) throws IOException, InterruptedException {
        long ticket = TICKETS.incrementAndGet();
        int chunkSize = manifest.chunkSize();
        long from = file.contentOffset() + first;
        long to = file.contentOffset() + last;
        int lastChunk = (int) (to / chunkSize);
        FileChannel ch = null;
        try {
            for (int c = (int) (from / chunkSize); c <= lastChunk; c++) {
                download.prioritize(ticket, c, Math.min(lastChunk, c + READ_AHEAD - 1));
                await(download, c, clientGone);
                if (ch == null) {
                    ch = open(manifest, download, file);
                }
                long end = Math.min(to, (long) (c + 1) * chunkSize - 1);
                copy(ch, from - file.contentOffset(), end - from + 1, out);
                from = end + 1;
            }
        } finally {
            download.releasePriority(ticket);
            if (ch != null) {
                ch.close();
            }
        }
    }

    private static void await(NettyDownload download, int chunk, BooleanSupplier clientGone)
            throws IOException, InterruptedException {
        CompletableFuture<?> verified = download.chunkVerified(chunk);
        long deadline = System.nanoTime() + STALL.toNanos();
        while (true) {
            try {
                verified.get(CHECK.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                throw new IOException("the download stopped before chunk " + chunk + " arrived", e.getCause());
            } catch (TimeoutException e) {
                if (clientGone.getAsBoolean()) {
                    throw new IOException("the client went away while chunk " + chunk + " was awaited");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("chunk " + chunk + " did not arrive within " + STALL.toMinutes()
                            + " minutes");
                }
            }
        }
    }

    /**
     * The file where its verified bytes are now. An open file stays readable when the download moves the content
     * into place (a hard link, or a rename of the directory); one opened just as it moves is looked for at its final
     * place once the move is done.
     */
    private static FileChannel open(Manifest manifest, NettyDownload download, StreamedFile file)
            throws IOException, InterruptedException {
        Path root = download.contentRoot().orElseThrow(() -> new IOException("no content yet"));
        try {
            return open(ContentLayout.of(manifest, root, Naming.LOCAL).files().get(file.index()));
        } catch (NoSuchFileException moving) {
            Path moved;
            try {
                moved = download.completion().get(MOVE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw moving;
            }
            return open(ContentLayout.of(manifest, moved, Naming.LOCAL).files().get(file.index()));
        }
    }

    /** Opens a file for reading, never through a symbolic link. */
    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static void copy(FileChannel ch, long position, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
        long done = 0;
        while (done < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
            int n = ch.read(buffer, position + done);
            if (n < 0) {
                throw new IOException("the file ended " + (length - done) + " bytes early");
            }
            out.write(buffer.array(), 0, n);
            done += n;
        }
    }
}
