package dev.kadshare.transfer.download;

import java.nio.ByteBuffer;

/**
 * The bytes of a received chunk, in whatever memory the adapter read them into (a Netty frame buffer, say): the
 * core passes them on to the {@link Disk} untouched, never copies them, and frees them exactly once.
 */
public interface ChunkBody {
    /** How many bytes the peer sent. */
    int length();

    /** A view of the bytes, for the disk to hash and write. */
    ByteBuffer data();

    /** Gives the memory back; nothing may touch the bytes after. */
    void free();
}
