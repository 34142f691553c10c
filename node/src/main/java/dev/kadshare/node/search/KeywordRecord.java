package dev.kadshare.node.search;

import dev.kadshare.transfer.content.ContentId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a keyword points to in the DHT: a content id with its name and size. Encoded as version byte, 32-byte
 * id, 8-byte size, 2-byte name length and the UTF-8 name, so a record always fits the DHT's 1 KiB value limit.
 */
public record KeywordRecord(ContentId contentId, String name, long size) {
    private static final byte VERSION = 1;
    /** Names are cut to this many UTF-8 bytes in the record; the link itself carries the full name. */
    static final int MAX_NAME_BYTES = 900;

    public byte[] encode() {
        byte[] nameBytes = truncatedName();
        return ByteBuffer.allocate(1 + 32 + 8 + 2 + nameBytes.length)
                .put(VERSION).put(contentId.bytes()).putLong(size).putShort((short) nameBytes.length).put(nameBytes)
                .array();
    }

    private byte[] truncatedName() {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_NAME_BYTES) {
            return bytes;
        }
        // Cut on a character boundary so the stored name is still valid UTF-8.
        int end = MAX_NAME_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    /** Decodes a record found in the DHT; anything malformed (other peers write these) is empty, not an error. */
    public static Optional<KeywordRecord> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 1 + 32 + 8 + 2 || in.get() != VERSION) {
            return Optional.empty();
        }
        byte[] id = new byte[32];
        in.get(id);
        long size = in.getLong();
        int nameLength = Short.toUnsignedInt(in.getShort());
        if (size < 0 || nameLength == 0 || nameLength > MAX_NAME_BYTES || in.remaining() != nameLength) {
            return Optional.empty();
        }
        byte[] name = new byte[nameLength];
        in.get(name);
        return Optional.of(new KeywordRecord(ContentId.of(id), new String(name, StandardCharsets.UTF_8), size));
    }
}
