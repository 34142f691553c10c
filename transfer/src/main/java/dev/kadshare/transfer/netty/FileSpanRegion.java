package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.store.ReadPath;
import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A chunk's span of one file, open, for a zero-copy send on a plaintext link (the benchmark's measurement only). */
final class FileSpanRegion extends DefaultFileRegion {
    private final FileChannel file;
    private final Path path;
    private final ReadPath reads;

    /** {@code file} is {@code path} opened for reading; the region owns it and closes it when released. */
    FileSpanRegion(FileChannel file, Path path, long position, long count, ReadPath reads) {
        super(file, position, count);
        this.file = file;
        this.path = path;
        this.reads = reads;
    }

    /** The open file, for positional reads (the region still owns it and closes it when released). */
    FileChannel file() {
        return file;
    }

    /** Where the file is, to open it again around the page cache. */
    Path path() {
        return path;
    }

    /** How the span is best read. */
    ReadPath reads() {
        return reads;
    }
}
