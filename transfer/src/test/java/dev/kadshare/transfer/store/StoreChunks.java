package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** What tests do with a {@link ChunkStore}'s chunks that a download does in steps: verify and write, read back. */
public final class StoreChunks {
    private StoreChunks() {}

    /** Verifies chunk {@code index} against the manifest and writes and records it only if it matches. */
    public static WriteResult write(ChunkStore store, int index, ByteBuffer body) throws IOException {
        if (store.isVerified(index)) {
            return WriteResult.ALREADY_VERIFIED;
        }
        if (!store.manifest().verifies(index, body)) {
            return WriteResult.FAILED_VERIFICATION;
        }
        store.writeData(index, body);
        return store.markStored(index);
    }

    /** The bytes of a verified chunk, read from the partial file(s); empty if not verified. */
    public static Optional<ByteBuffer> read(ChunkStore store, int index) throws IOException {
        if (!store.isVerified(index)) {
            return Optional.empty();
        }
        ByteBuffer dst = ByteBuffer.allocate(store.manifest().chunkLength(index));
        for (FileSpan span : store.spans(index)) {
            try (FileChannel ch = FileChannel.open(span.file(), StandardOpenOption.READ)) {
                ByteBuffer part = dst.slice(dst.position(), span.length());
                while (part.hasRemaining()) {
                    if (ch.read(part, span.fileOffset() + part.position()) < 0) {
                        throw new IOException(span.file() + " is shorter than its content");
                    }
                }
                dst.position(dst.position() + span.length());
            }
        }
        return Optional.of(dst.flip());
    }
}
