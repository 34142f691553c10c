package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.LinkFreePaths;
import dev.kadshare.transfer.store.ReadPath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A chunk's span of one shared file, to be served: its file is opened only when the span's turn to be read comes. A
 * chunk of a directory share of small files spans hundreds of them, and a slow connection keeps megabytes of chunks
 * queued; opened when handed out, their files ran a node out of file descriptors.
 *
 * @param root the content's root, which no link may lead out of
 * @param file the file, under {@code root}
 * @param stamps the content's files as shared: a file changed since is not served
 */
record ServedSpan(Path root, Path file, long position, long count, ReadPath reads, ContentStamps stamps)
        implements ChunkPart {
    /** The file, opened for reading now, never through a link, and only if it is as it was shared. */
    FileChannel open() throws IOException {
        FileChannel channel = LinkFreePaths.openForReading(root, file);
        try {
            if (!stamps.unchanged(file)) {
                throw new IOException(file + " changed since it was shared: not served (share it again)");
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /** The span as a region open now, for a zero-copy send; releasing it closes the file. */
    FileSpanRegion region() throws IOException {
        return new FileSpanRegion(open(), file, position, count, reads);
    }
}
