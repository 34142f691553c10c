package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.Manifest;
import java.nio.file.Path;

/** A download's content that its sidecar says was moved into place at {@code root}, unchanged since: complete. */
public record MovedContent(Manifest manifest, Path root) {
}
