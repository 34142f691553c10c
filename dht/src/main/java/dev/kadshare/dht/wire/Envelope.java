package dev.kadshare.dht.wire;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The datagram around a message (format version 4): {@code [version][kind][sender's DHT public key, 32 bytes]}, then for
 * a response or a tagged request a 16-byte tag, then the message ({@link MessageCodec}). The tag is the first 16 bytes
 * of HMAC-SHA-256 under the session key of the two nodes, over the whole datagram but the tag: a response is accepted
 * only from the holder of the key its sender's id is made of. Requests carry the key untagged (a first request cannot
 * be authenticated; the answer it gets is), but for one that makes its receiver act towards a third party
 * (INTRODUCE): its sender has a session with the receiver already, and tags it, so a spoofed source address alone
 * cannot make it.
 */
public final class Envelope {
    public static final byte VERSION = 4;
    static final byte REQUEST = 1;
    static final byte RESPONSE = 2;
    static final byte TAGGED_REQUEST = 3;
    public static final int KEY_BYTES = 32;
    public static final int TAG_BYTES = 16;
    public static final int REQUEST_OVERHEAD = 2 + KEY_BYTES;
    public static final int RESPONSE_OVERHEAD = REQUEST_OVERHEAD + TAG_BYTES;
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    });

    /** A datagram opened: a request or a response with its sender's key and message, or why it was dropped. */
    public sealed interface Opened {
        /** An envelope of this version: the sender's key and the message, as {@link MessageCodec} decodes it. */
        sealed interface Carrying extends Opened {
            byte[] senderKey();

            byte[] message();
        }

        /** A request. */
        record Request(byte[] senderKey, byte[] message) implements Carrying {
        }

        /** A response, its tag not checked yet ({@link #tagHolds}). */
        record Response(byte[] senderKey, byte[] message, byte[] datagram) implements Carrying {
        }

        /** A tagged request, its tag not checked yet ({@link #tagHolds}). */
        record TaggedRequest(byte[] senderKey, byte[] message, byte[] datagram) implements Carrying {
        }

        /** Not a datagram of this version. */
        record Rejected(RejectReason reason, String detail) implements Opened {
        }
    }

    private Envelope() {
    }

    /** A request datagram: {@code message} from the node whose public key is {@code senderKey}. */
    public static byte[] request(byte[] senderKey, byte[] message) {
        byte[] datagram = new byte[REQUEST_OVERHEAD + message.length];
        header(datagram, REQUEST, senderKey);
        System.arraycopy(message, 0, datagram, REQUEST_OVERHEAD, message.length);
        return datagram;
    }

    /** A response datagram, tagged under {@code sessionKey}. */
    public static byte[] response(byte[] senderKey, byte[] sessionKey, byte[] message) {
        return tagged(RESPONSE, senderKey, sessionKey, message);
    }

    /** A request datagram tagged under {@code sessionKey}, for a receiver that needs to know who asks. */
    public static byte[] taggedRequest(byte[] senderKey, byte[] sessionKey, byte[] message) {
        return tagged(TAGGED_REQUEST, senderKey, sessionKey, message);
    }

    private static byte[] tagged(byte kind, byte[] senderKey, byte[] sessionKey, byte[] message) {
        byte[] datagram = new byte[RESPONSE_OVERHEAD + message.length];
        header(datagram, kind, senderKey);
        System.arraycopy(message, 0, datagram, RESPONSE_OVERHEAD, message.length);
        System.arraycopy(tag(datagram, sessionKey), 0, datagram, REQUEST_OVERHEAD, TAG_BYTES);
        return datagram;
    }

    /** Splits a datagram into its parts; never throws. */
    public static Opened open(byte[] datagram) {
        if (datagram.length == 0) {
            return new Opened.Rejected(RejectReason.EMPTY, "no bytes");
        }
        if (datagram[0] != VERSION) {
            return new Opened.Rejected(RejectReason.UNSUPPORTED_VERSION, "datagram version " + datagram[0]);
        }
        int overhead = datagram.length > 1 && (datagram[1] == RESPONSE || datagram[1] == TAGGED_REQUEST)
                ? RESPONSE_OVERHEAD : REQUEST_OVERHEAD;
        if (datagram.length <= overhead) {
            return new Opened.Rejected(RejectReason.TRUNCATED, datagram.length + " bytes");
        }
        byte[] key = Arrays.copyOfRange(datagram, 2, 2 + KEY_BYTES);
        byte[] message = Arrays.copyOfRange(datagram, overhead, datagram.length);
        return switch (datagram[1]) {
            case REQUEST -> new Opened.Request(key, message);
            case RESPONSE -> new Opened.Response(key, message, datagram);
            case TAGGED_REQUEST -> new Opened.TaggedRequest(key, message, datagram);
            default -> new Opened.Rejected(RejectReason.MALFORMED, "kind " + datagram[1]);
        };
    }

    /** Whether the tag of a tagged datagram is the one {@code sessionKey} gives it (compared in constant time). */
    public static boolean tagHolds(byte[] datagram, byte[] sessionKey) {
        byte[] expected = tag(datagram, sessionKey);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(datagram, REQUEST_OVERHEAD, RESPONSE_OVERHEAD));
    }

    private static void header(byte[] datagram, byte kind, byte[] senderKey) {
        if (senderKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a DHT key is 32 bytes");
        }
        datagram[0] = VERSION;
        datagram[1] = kind;
        System.arraycopy(senderKey, 0, datagram, 2, KEY_BYTES);
    }

    /** HMAC-SHA-256 over the datagram without its tag bytes, cut to 16 bytes. */
    private static byte[] tag(byte[] datagram, byte[] sessionKey) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(sessionKey, "HmacSHA256"));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("a session key is 32 bytes", e);
        }
        mac.update(datagram, 0, REQUEST_OVERHEAD);
        mac.update(datagram, RESPONSE_OVERHEAD, datagram.length - RESPONSE_OVERHEAD);
        return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
    }
}
