package dev.kadshare.node.search;

import dev.kadshare.transfer.content.ContentId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a keyword points to in the DHT: a share (content id, name, size) and, when the keyword comes from the
 * name of a file inside a directory share, that file's path in it. Encoded as version byte 2, 32-byte id,
 * 8-byte size, then the name and the file path each as a 2-byte length and UTF-8 (the path may be empty), so
 * a record signed with its content id as salt always fits the DHT's 1 KiB record limit.
 */
public record KeywordRecord(ContentId contentId, String name, long size, Optional<String> file) {
    private static final byte VERSION = 2;
    private static final int FIXED_BYTES = 1 + 32 + 8 + 2 + 2;
    /** Names are cut to this many UTF-8 bytes in the record (a manifest's names have at most 255). */
    static final int MAX_NAME_BYTES = 255;
    /** A decoder takes file paths of up to this many UTF-8 bytes. */
    static final int MAX_FILE_BYTES = 700;
    /**
     * File paths are written cut to their last this many UTF-8 bytes (the file's own name is at the end), so the record
     * signed with a content id as salt fits a DHT record: 45 + 255 + 540 + 137 = 977 of 1,024 bytes.
     */
    static final int MAX_WRITTEN_FILE_BYTES = 540;

    public KeywordRecord {
        name = new String(head(name.getBytes(StandardCharsets.UTF_8), MAX_NAME_BYTES), StandardCharsets.UTF_8);
        file = file.map(f -> new String(tail(f.getBytes(StandardCharsets.UTF_8), MAX_WRITTEN_FILE_BYTES), StandardCharsets.UTF_8))
                .filter(f -> !f.isEmpty());
    }

    /** A record for the share's own name. */
    public static KeywordRecord ofShare(ContentId contentId, String name, long size) {
        return new KeywordRecord(contentId, name, size, Optional.empty());
    }

    /** The text a query's words are matched against: the share's name and the file's path. */
    public String text() {
        return file.map(f -> name + " " + f).orElse(name);
    }

    public byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] fileBytes = file.orElse("").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED_BYTES + nameBytes.length + fileBytes.length)
                .put(VERSION).put(contentId.bytes()).putLong(size)
                .putShort((short) nameBytes.length).put(nameBytes)
                .putShort((short) fileBytes.length).put(fileBytes)
                .array();
    }

    /** Decodes a record found in the DHT; anything malformed (other peers write these) is empty, not an error. */
    public static Optional<KeywordRecord> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < FIXED_BYTES || in.get() != VERSION) {
            return Optional.empty();
        }
        byte[] id = new byte[32];
        in.get(id);
        long size = in.getLong();
        Optional<String> name = text(in, MAX_NAME_BYTES);
        if (size < 0 || name.isEmpty() || name.get().isEmpty() || in.remaining() < 2) {
            return Optional.empty();
        }
        Optional<String> file = text(in, MAX_FILE_BYTES);
        if (file.isEmpty() || in.hasRemaining()) {
            return Optional.empty();
        }
        return Optional.of(new KeywordRecord(ContentId.of(id), name.get(), size, file.filter(f -> !f.isEmpty())));
    }

    /** A 2-byte length and that many bytes of UTF-8, at most {@code max}; empty if it does not fit. */
    private static Optional<String> text(ByteBuffer in, int max) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > max || length > in.remaining()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The first at most {@code max} bytes, cut on a character boundary so they are still valid UTF-8. */
    private static byte[] head(byte[] bytes, int max) {
        if (bytes.length <= max) {
            return bytes;
        }
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    /** The last at most {@code max} bytes, starting on a character boundary. */
    private static byte[] tail(byte[] bytes, int max) {
        if (bytes.length <= max) {
            return bytes;
        }
        int start = bytes.length - max;
        while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }
}
