package dev.kadshare.transfer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/** Test fixtures for hostile input: what a peer may send, and how to see what it cost us. */
public final class Hostile {
    private Hostile() {
    }

    /**
     * The bytes of a well-formed directory manifest (format 2) of {@code files} empty files, each 2,040
     * directories deep: about 4 KB a path, and work for any decoder that is not linear in them.
     */
    public static byte[] deepDirectoryManifest(int files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {'K', 'S', 'M', 'F', 2});
            out.writeShort(3);
            out.write("dir".getBytes(StandardCharsets.UTF_8));
            out.writeInt(files);
            String deep = "a/".repeat(2040);
            for (int i = 0; i < files; i++) {
                byte[] path = (deep + "f" + i).getBytes(StandardCharsets.UTF_8);
                out.writeShort(path.length);
                out.write(path);
                out.writeLong(0);
            }
            out.writeInt(1024);
            out.writeInt(0);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes the thread {@code threadId} has allocated so far (HotSpot counts them per thread). */
    public static long allocatedBytes(long threadId) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(threadId);
    }

    /** Bytes this thread has allocated so far. */
    public static long allocatedBytes() {
        return allocatedBytes(Thread.currentThread().getId());
    }
}
