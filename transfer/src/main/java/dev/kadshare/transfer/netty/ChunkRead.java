package dev.kadshare.transfer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A chunk's bytes read from its open files into record-sized buffers, on the node's disk threads, for an encrypted
 * link to seal: a serving event loop never waits on a disk (a read that misses the page cache, a slow or network
 * disk), as every other connection on that loop would wait with it. Each buffer holds at most one record's plaintext,
 * so the link seals it where it lies.
 */
final class ChunkRead {
    private ChunkRead() {
    }

    /**
     * Reads {@code regions} in order on {@code disk}; completes with their bytes, or exceptionally if a file cannot be
     * read or ends inside its span (the buffers already read are freed then). The regions stay the caller's.
     */
    static CompletableFuture<List<ByteBuf>> of(List<FileSpanRegion> regions, ByteBufAllocator alloc, Executor disk) {
        try {
            return CompletableFuture.supplyAsync(() -> read(regions, alloc), disk);
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.failedFuture(stopping);
        }
    }

    private static List<ByteBuf> read(List<FileSpanRegion> regions, ByteBufAllocator alloc) {
        List<ByteBuf> pieces = new ArrayList<>();
        try {
            for (FileSpanRegion region : regions) {
                long at = region.position();
                long end = at + region.count();
                while (at < end) {
                    int n = (int) Math.min(RecordCodec.RECORD_PLAINTEXT, end - at);
                    ByteBuf piece = alloc.directBuffer(n);
                    pieces.add(piece);
                    while (piece.writerIndex() < n) {
                        int read = piece.writeBytes(region.file(), at + piece.writerIndex(), n - piece.writerIndex());
                        if (read < 0) {
                            throw new EOFException("file ended inside a chunk's span");
                        }
                    }
                    at += n;
                }
            }
            return pieces;
        } catch (IOException e) {
            pieces.forEach(ByteBuf::release);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            pieces.forEach(ByteBuf::release);
            throw e;
        }
    }
}
