package dev.kadshare.transfer.link;

import dev.kadshare.transfer.link.noise.CipherState;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.link.noise.Transport;
import java.nio.ByteBuffer;

/**
 * The records that carry a link's byte stream after the handshake: a u16 big-endian length, then that many bytes
 * of AES-256-GCM ciphertext (the plaintext and a 16-byte tag; nonce = the record's number in its direction, no
 * associated data). One cipher call per record, on heap or direct buffers. I/O-free.
 */
public final class RecordLayer {
    public static final int HEADER_BYTES = 2;
    /** Noise's 65535-byte message limit less the tag. */
    public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG_BYTES;

    /** What {@link #open} found. */
    public sealed interface Read {
        /** No whole record yet; nothing consumed. */
        record Incomplete(int needed) implements Read {
        }

        /** One record opened: {@code bytes} of plaintext written. */
        record Opened(int bytes) implements Read {
        }
    }

    private final CipherState sender;
    private final CipherState receiver;

    public RecordLayer(Transport transport) {
        this.sender = transport.sender();
        this.receiver = transport.receiver();
    }

    /** The bytes one record of {@code plaintext} bytes takes on the wire. */
    public static int sealedSize(int plaintext) {
        return HEADER_BYTES + plaintext + CipherState.TAG_BYTES;
    }

    /** Seals all of {@code plaintext}'s remaining bytes (at most {@link #MAX_PLAINTEXT}) as one record into {@code out}. */
    public void seal(ByteBuffer plaintext, ByteBuffer out) throws NoiseException {
        int length = plaintext.remaining();
        if (length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a record holds at most " + MAX_PLAINTEXT + " bytes, not " + length);
        }
        out.putShort((short) (length + CipherState.TAG_BYTES));
        sender.encrypt(plaintext, out);
    }

    /**
     * Opens the record at {@code in}'s position into {@code out} (which must have room for its plaintext) if it is
     * all there. A record that fails (tampered, replayed, out of order, shorter than its tag) throws: the link
     * cannot go on.
     */
    public Read open(ByteBuffer in, ByteBuffer out) throws NoiseException {
        if (in.remaining() < HEADER_BYTES) {
            return new Read.Incomplete(HEADER_BYTES);
        }
        int length = in.getShort(in.position()) & 0xffff;
        if (length < CipherState.TAG_BYTES) {
            throw new NoiseException(NoiseException.Kind.TRUNCATED, "record of " + length + " bytes has no room for its tag");
        }
        if (in.remaining() < HEADER_BYTES + length) {
            return new Read.Incomplete(HEADER_BYTES + length);
        }
        ByteBuffer record = in.duplicate();
        record.position(in.position() + HEADER_BYTES).limit(in.position() + HEADER_BYTES + length);
        int before = out.position();
        receiver.decrypt(record, out);
        in.position(in.position() + HEADER_BYTES + length);
        return new Read.Opened(out.position() - before);
    }

    /** The plaintext bytes of the record at {@code in}'s position, once its header is there. */
    public static int plaintextOf(ByteBuffer in) {
        return (in.getShort(in.position()) & 0xffff) - CipherState.TAG_BYTES;
    }
}
