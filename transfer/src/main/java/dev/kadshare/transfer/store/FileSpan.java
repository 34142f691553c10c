package dev.kadshare.transfer.store;

import java.nio.file.Path;

/** A run of content bytes stored contiguously in one file. */
public record FileSpan(Path file, long fileOffset, int length) {
}
