package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A file's length and last-modified time when its content was hashed: a file whose stamp differs has changed since
 * (the test rsync and make rely on), and serving it would hand peers chunks that fail their hash.
 */
public record FileStamp(long size, long modifiedNanos) {
    /** The stamp of {@code file} now (of a link at its name, not of what the link names). */
    public static FileStamp of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }
}
