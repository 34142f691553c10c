package dev.kadshare.transfer.wire;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Id256;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Wire encodings of the field types control messages share (docs/PROTOCOL.md, "Field encodings"). Every read
 * checks a claimed length against the bytes left before it allocates, and accepts only the one encoding
 * {@link FrameCodec} writes, so a frame decodes to a message only if that message encodes to the same bytes.
 */
final class Fields {
    private Fields() {
    }

    /** A signed int as a zigzag varint: 0, -1, 1, -2 ... become 0, 1, 2, 3 ..., then {@link #writeVarint}. */
    static void writeInt(Output out, int value) {
        writeVarint(out, (value << 1) ^ (value >> 31));
    }

    static int readInt(Input in) {
        int zigzag = readVarint(in);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    /** An unsigned 32-bit value, 7 bits a byte, least significant first, high bit set on all but the last. */
    static void writeVarint(Output out, int value) {
        out.writeVarInt(value, true); // Kryo writes exactly this, in the shortest form
    }

    /**
     * Reads a varint in its shortest form, at most 5 bytes. Kryo's own reader also takes longer forms (0 as
     * {@code 80 00}) and ignores excess bits in a fifth byte; those are malformed here.
     */
    static int readVarint(Input in) {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readByte() & 0xFF;
            if (shift > 0 && b == 0) {
                throw new KryoException("varint not in its shortest form");
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        int last = in.readByte() & 0xFF; // the fifth byte holds the top 4 bits and ends the varint
        if (last == 0 || last > 0x0F) {
            throw new KryoException("varint beyond 32 bits or not in its shortest form");
        }
        return value | last << 28;
    }

    /** A 256-bit id (content or node) as its 32 bytes. */
    static void writeId(Output out, Id256 id) {
        out.writeBytes(id.bytes());
    }

    static ContentId readContentId(Input in) {
        return ContentId.of(in.readBytes(Id256.LENGTH));
    }

    /**
     * Bytes as varint (length + 1), then the bytes: Kryo's byte-array format, in which a 0 would mean null
     * (never valid here). Kept from protocol 3, whose MANIFEST, BITFIELD and PEERS bodies were exactly this.
     */
    static void writeBytes(Output out, byte[] bytes) {
        writeVarint(out, bytes.length + 1);
        out.writeBytes(bytes);
    }

    /** Reads bytes only after checking that the claimed length is at most {@code max} and left in the frame. */
    static byte[] readBytes(Input in, int max) {
        long length = Integer.toUnsignedLong(readVarint(in)) - 1;
        if (length < 0) {
            throw new KryoException("null where bytes belong");
        }
        long left = in.limit() - in.position();
        if (length > max || length > left) {
            throw new KryoException(length + " bytes claimed, at most " + Math.min(max, left) + " allowed");
        }
        return in.readBytes((int) length);
    }

    /** Text as the bytes of its UTF-8 encoding; see {@link #fitText} for what a message may hold. */
    static void writeText(Output out, String text) {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads text of at most {@code maxBytes} bytes of well-formed UTF-8. */
    static String readText(Input in, int maxBytes) {
        byte[] utf8 = readBytes(in, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new KryoException("text is not UTF-8");
        }
    }

    /**
     * {@code text} as it travels: what its UTF-8 encoding decodes to (an unpaired surrogate becomes '?'), cut on
     * a character boundary to at most {@code maxBytes} bytes. A message holds this, so it equals its decoding.
     */
    static String fitText(String text, int maxBytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int end = utf8.length;
        if (end > maxBytes) {
            end = maxBytes;
            while (end > 0 && (utf8[end] & 0xC0) == 0x80) { // utf8[end] continues a character: cut before it
                end--;
            }
        }
        return new String(Arrays.copyOf(utf8, end), StandardCharsets.UTF_8);
    }
}
