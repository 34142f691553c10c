package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ContentPlace;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.LinkFreePaths;
import dev.kadshare.transfer.store.ReadPath;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A chunk's span of one file, to be served: its file is opened only when the span's turn to be read comes. A chunk of
 * a directory share of small files spans hundreds of them, and a slow connection keeps megabytes of chunks queued;
 * opened when handed out, their files ran a node out of file descriptors. A download's partial content may have moved
 * into place meanwhile: the span is read where {@code place} says the content is then.
 *
 * @param place where the content is now
 * @param root where the content was when the chunk was handed out; no link may lead out of it
 * @param file the file, under {@code root}
 * @param stamps the content's files as shared: a file changed since is not served
 * @param changed run when the file is found changed since it was shared, as a hub does at hand-out (the node then
 *     stops sharing the content); from the connection's loop
 */
record ServedSpan(ContentPlace place, Path root, Path file, long position, long count, ReadPath reads,
        ContentStamps stamps, Runnable changed) {
    /** The span's file, open, and the path it was opened at. */
    record Opened(FileChannel channel, Path path) {
    }

    /** The file, opened for reading now where the content is, never through a link, and only if it is as shared. */
    Opened open() throws IOException {
        Path now = place.root();
        try {
            return openUnder(now);
        } catch (NoSuchFileException e) {
            // Renamed into place between the two looks (the rename comes a moment before the place is told), or
            // handed out from where the place is not told of yet?
            Path later = place.root();
            if (!later.equals(now)) {
                return openUnder(later);
            }
            if (!root.equals(now)) {
                return openUnder(root);
            }
            throw e;
        }
    }

    private Opened openUnder(Path now) throws IOException {
        Path path = ContentPlace.rebased(file, root, now);
        FileChannel channel = LinkFreePaths.openForReading(now, path);
        try {
            requireAsShared(path);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Opened(channel, path);
    }

    /**
     * Throws, and says so ({@code changed}), if the file at {@code path} changed since it was shared: checked when the
     * chunk is handed out, and again when the file is opened.
     */
    void requireAsShared(Path path) throws IOException {
        if (!stamps.unchanged(path)) {
            changed.run();
            throw new IOException(path + " changed since it was shared: not served (share it again)");
        }
    }

    /** The span as a region open now, for a zero-copy send; releasing it closes the file. */
    DefaultFileRegion region() throws IOException {
        return new DefaultFileRegion(open().channel(), position, count);
    }
}
