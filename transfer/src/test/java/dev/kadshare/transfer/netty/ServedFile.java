package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A file of zeros shared as one content, and a source that serves just it: the fixture of the session tests. */
record ServedFile(Manifest manifest, ContentSource source) {
    static ServedFile of(Path dir, int length, int chunkSize) throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[length]);
        Manifest manifest = Manifest.ofFile(file, "f.bin", chunkSize);
        SharedContent shared = new SharedContent(manifest, file);
        return new ServedFile(manifest,
                id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty());
    }
}
