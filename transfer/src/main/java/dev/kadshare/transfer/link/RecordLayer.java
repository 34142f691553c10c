package dev.kadshare.transfer.link;

import dev.kadshare.transfer.link.noise.CipherState;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.link.noise.Transport;

/**
 * The records that carry a link's byte stream after the handshake: a u16 big-endian length, then that many bytes
 * of AES-256-GCM ciphertext (the plaintext and a 16-byte tag; nonce = the record's number in its direction, no
 * associated data). One cipher call per record, on heap arrays (see {@link CipherState#encrypt}). I/O-free.
 */
public final class RecordLayer {
    public static final int HEADER_BYTES = 2;
    /** Noise's 65535-byte message limit less the tag. */
    public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG_BYTES;

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

    /**
     * Seals {@code length} bytes (at most {@link #MAX_PLAINTEXT}) of {@code in} from {@code offset} as one record,
     * header included, into {@code out} at {@code outOffset}; returns the bytes written.
     */
    public int seal(byte[] in, int offset, int length, byte[] out, int outOffset) throws NoiseException {
        if (length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a record holds at most " + MAX_PLAINTEXT + " bytes, not " + length);
        }
        int sealed = length + CipherState.TAG_BYTES;
        out[outOffset] = (byte) (sealed >>> 8);
        out[outOffset + 1] = (byte) sealed;
        return HEADER_BYTES + sender.encrypt(in, offset, length, out, outOffset + HEADER_BYTES);
    }

    /**
     * Opens one record's {@code length} bytes of ciphertext and tag (what follows its header) into {@code out};
     * returns the plaintext bytes. A record that fails (tampered, replayed, out of order, shorter than its tag)
     * throws: the link cannot go on.
     */
    public int open(byte[] in, int offset, int length, byte[] out, int outOffset) throws NoiseException {
        return receiver.decrypt(in, offset, length, out, outOffset);
    }
}
