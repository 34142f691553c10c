package dev.kadshare.dht.store;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.Ed25519Keys;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One small record stored under a key, signed in the manner of BEP 44's mutable items: the publisher's Ed25519
 * public key, a salt, a sequence number that only grows, the value and the signature over (key, salt, seq, value).
 * Its slot is SHA-256(public key || salt): one record per slot under a key, which only the publisher can replace,
 * with a higher sequence number. Encoded (the bytes of a DHT {@code value} field) as public key (32), salt length
 * ({@code u8}, 0..32), salt, seq ({@code u64be}), signature (64), value (the rest, at least 1 byte); equal when the
 * encodings are.
 */
public final class RecordValue {
    /** Largest encoding accepted, so that a record fits one datagram with room to spare. */
    public static final int MAX_BYTES = 1024;
    public static final int MAX_SALT_BYTES = 32;
    static final int KEY_BYTES = Ed25519Keys.PUBLIC_BYTES;
    static final int SIGNATURE_BYTES = Ed25519Keys.SIGNATURE_BYTES;
    /** Bytes of a record besides its salt and value. */
    public static final int OVERHEAD = KEY_BYTES + 1 + 8 + SIGNATURE_BYTES;

    private final byte[] encoded;
    private final int saltLength;
    private NodeId slot;

    private RecordValue(byte[] encoded) {
        this.encoded = encoded;
        this.saltLength = Byte.toUnsignedInt(encoded[KEY_BYTES]);
    }

    /**
     * {@code value} signed by {@code publisher} for {@code key}; IllegalArgumentException if value (1 byte at least)
     * and salt do not fit {@link #MAX_BYTES} or the salt is over {@link #MAX_SALT_BYTES}.
     */
    public static RecordValue sign(Publisher publisher, NodeId key, byte[] salt, long seq, byte[] value) {
        if (salt.length > MAX_SALT_BYTES || value.length == 0 || OVERHEAD + salt.length + value.length > MAX_BYTES || seq < 0) {
            throw new IllegalArgumentException("a record holds 1.." + (MAX_BYTES - OVERHEAD - salt.length)
                    + " bytes with this salt, got " + value.length + " (salt " + salt.length + ", seq " + seq + ")");
        }
        byte[] signature = publisher.sign(signed(key, salt, seq, value));
        ByteBuffer out = ByteBuffer.allocate(OVERHEAD + salt.length + value.length);
        out.put(publisher.publicKey()).put((byte) salt.length).put(salt).putLong(seq).put(signature).put(value);
        return new RecordValue(out.array());
    }

    /** The record of these bytes, checked in layout (not signature); empty if they are not one. */
    public static Optional<RecordValue> decode(byte[] bytes) {
        if (bytes.length < OVERHEAD + 1 || bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        int salt = Byte.toUnsignedInt(bytes[KEY_BYTES]);
        if (salt > MAX_SALT_BYTES || OVERHEAD + salt + 1 > bytes.length
                || ByteBuffer.wrap(bytes, KEY_BYTES + 1 + salt, 8).getLong() < 0) {
            return Optional.empty();
        }
        return Optional.of(new RecordValue(bytes.clone()));
    }

    /** What the signature covers: the key the record is stored under, the salt, the sequence number and the value. */
    private static byte[] signed(NodeId key, byte[] salt, long seq, byte[] value) {
        return ByteBuffer.allocate(NodeId.BYTES + 1 + salt.length + 8 + value.length)
                .put(key.bytes()).put((byte) salt.length).put(salt).putLong(seq).put(value).array();
    }

    /**
     * Records whose signature held for a key, lately: the same record reaches a node again and again (renewals,
     * replicas, pages of several holders), and an Ed25519 verification costs far more than a look-up here.
     */
    private static final Cache<Verified, Boolean> VERIFIED = CacheBuilder.newBuilder().maximumSize(65_536).build();

    private record Verified(NodeId key, RecordValue record) {
    }

    /** Whether the signature is the publisher's over this record stored under {@code key}. */
    public boolean verifies(NodeId key) {
        Verified claim = new Verified(key, this);
        if (VERIFIED.getIfPresent(claim) != null) {
            return true;
        }
        boolean valid = verifySignature(key);
        if (valid) {
            VERIFIED.put(claim, Boolean.TRUE);
        }
        return valid;
    }

    private boolean verifySignature(NodeId key) {
        return Ed25519Keys.verifies(publicKey(), signed(key, salt(), seq(), value()), encoded,
                KEY_BYTES + 1 + saltLength + 8, SIGNATURE_BYTES);
    }

    /** SHA-256(public key || salt): the place this record takes under its key. */
    public NodeId slot() {
        if (slot == null) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(encoded, 0, KEY_BYTES);
                sha.update(encoded, KEY_BYTES + 1, saltLength);
                slot = NodeId.of(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every JDK", e);
            }
        }
        return slot;
    }

    public byte[] publicKey() {
        return Arrays.copyOfRange(encoded, 0, KEY_BYTES);
    }

    public byte[] salt() {
        return Arrays.copyOfRange(encoded, KEY_BYTES + 1, KEY_BYTES + 1 + saltLength);
    }

    public long seq() {
        return ByteBuffer.wrap(encoded, KEY_BYTES + 1 + saltLength, 8).getLong();
    }

    /** The publisher's value. */
    public byte[] value() {
        return Arrays.copyOfRange(encoded, OVERHEAD + saltLength, encoded.length);
    }

    /** The whole encoding, a copy, so the record stays immutable. */
    public byte[] bytes() {
        return encoded.clone();
    }

    /** Length of the whole encoding. */
    public int length() {
        return encoded.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordValue other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "record of " + HexFormat.of().formatHex(encoded, 0, 4) + ".. seq " + seq() + ", " + (encoded.length - OVERHEAD
                - saltLength) + " bytes";
    }
}
