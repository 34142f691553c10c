package dev.kadshare.node.stream;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.store.Naming;
import java.nio.file.Path;

/** Where a transfer's content can be read from right now, for a reader that streams it. */
public sealed interface StreamSource {
    /** Still downloading: bytes are read once their chunks are verified, which the reader waits for. */
    record Downloading(Manifest manifest, NettyDownload download) implements StreamSource {}

    /** Complete: every byte is at {@code root}, its files named as {@code naming} says. */
    record Complete(Manifest manifest, Path root, Naming naming) implements StreamSource {}

    /** Nothing to read from now: why (no manifest yet, paused, failed), as a user reads it. */
    record Unavailable(String why) implements StreamSource {}
}
