package dev.kadshare.transfer.netty;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/** A chunk's span of one file: sent zero-copy on a plaintext link, read and sealed into records on an encrypted one. */
final class FileSpanRegion extends DefaultFileRegion {
    private final FileChannel file;

    FileSpanRegion(FileChannel file, long position, long count) {
        super(file, position, count);
        this.file = file;
    }

    /** The open file, for positional reads (the region still owns it and closes it when released). */
    FileChannel file() {
        return file;
    }
}
