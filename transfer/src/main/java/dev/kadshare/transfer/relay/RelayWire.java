package dev.kadshare.transfer.relay;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The relay's bytes, before the relayed stream (specified in transfer/README.md). A request: {@code 4B 53 52 4C}
 * ("KSRL"), {@code u8} version, {@code u8} op (1 = RESERVE: {@code u16be} port; 2 = CONNECT: {@code u8} family 4 or
 * 6, the 4 or 16 address bytes, {@code u16be} port). The answer: the magic, the relay's version, a status
 * ({@link RelayStatus}). After an accepted RESERVE the relay sends {@link #KEEPALIVE} bytes while the sharer waits and
 * {@link #CIRCUIT_OPEN} when a getter is joined; after an accepted CONNECT the circuit is open at once. The magic
 * differs from the link's ("KSLK") in its third byte, which is how one listener tells them apart.
 */
public final class RelayWire {
    public static final int VERSION = 1;
    public static final int MAGIC_BYTES = 4;
    public static final int ANSWER_BYTES = 6;
    /** The longest request: a CONNECT to an IPv6 address. */
    public static final int MAX_REQUEST_BYTES = 6 + 1 + 16 + 2;
    public static final byte KEEPALIVE = 0x00;
    public static final byte CIRCUIT_OPEN = 0x01;
    static final byte[] MAGIC = {0x4B, 0x53, 0x52, 0x4C};
    static final int RESERVE = 1;
    static final int CONNECT = 2;

    /** What the first bytes of a request make. */
    public sealed interface Parsed {
        /** More bytes are needed. */
        record Incomplete() implements Parsed {}

        /** A whole request of {@code length} bytes. */
        record Request(RelayRequest request, int length) implements Parsed {}

        /** Not a request: answered with {@code status} and closed. */
        record Refused(RelayStatus status, String why) implements Parsed {}
    }

    private RelayWire() {
    }

    /** Whether {@code first} (at least {@link #MAGIC_BYTES}) opens a relay request rather than a link. */
    public static boolean isRelay(byte[] first) {
        return first.length >= MAGIC_BYTES && Arrays.equals(first, 0, MAGIC_BYTES, MAGIC, 0, MAGIC_BYTES);
    }

    public static byte[] encode(RelayRequest request) {
        if (request instanceof RelayRequest.Reserve reserve) {
            return withHeader(RESERVE, new byte[] {(byte) (reserve.port() >> 8), (byte) reserve.port()});
        }
        InetSocketAddress target = ((RelayRequest.Connect) request).target();
        byte[] ip = target.getAddress().getAddress();
        byte[] body = new byte[1 + ip.length + 2];
        body[0] = (byte) (ip.length == 4 ? 4 : 6);
        System.arraycopy(ip, 0, body, 1, ip.length);
        body[body.length - 2] = (byte) (target.getPort() >> 8);
        body[body.length - 1] = (byte) target.getPort();
        return withHeader(CONNECT, body);
    }

    /** The first {@code bytes} of a connection that opened with the relay magic, as a request (or not yet one). */
    public static Parsed parse(byte[] bytes) {
        if (bytes.length < 6) {
            return new Parsed.Incomplete();
        }
        if (!isRelay(bytes)) {
            return new Parsed.Refused(RelayStatus.MALFORMED, "no relay magic");
        }
        if ((bytes[4] & 0xFF) != VERSION) {
            return new Parsed.Refused(RelayStatus.VERSION_MISMATCH, "relay version " + (bytes[4] & 0xFF));
        }
        int op = bytes[5] & 0xFF;
        if (op == RESERVE) {
            if (bytes.length < 8) {
                return new Parsed.Incomplete();
            }
            int port = u16(bytes, 6);
            return port == 0 ? new Parsed.Refused(RelayStatus.MALFORMED, "port 0")
                    : new Parsed.Request(new RelayRequest.Reserve(port), 8);
        }
        if (op != CONNECT) {
            return new Parsed.Refused(RelayStatus.MALFORMED, "unknown op " + op);
        }
        if (bytes.length < 7) {
            return new Parsed.Incomplete();
        }
        int family = bytes[6] & 0xFF;
        int ipBytes = family == 4 ? 4 : family == 6 ? 16 : -1;
        if (ipBytes < 0) {
            return new Parsed.Refused(RelayStatus.MALFORMED, "unknown address family " + family);
        }
        int length = 7 + ipBytes + 2;
        if (bytes.length < length) {
            return new Parsed.Incomplete();
        }
        int port = u16(bytes, 7 + ipBytes);
        InetAddress ip;
        try {
            ip = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 7, 7 + ipBytes));
        } catch (UnknownHostException e) {
            return new Parsed.Refused(RelayStatus.MALFORMED, "bad address");
        }
        if (port == 0 || ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
            return new Parsed.Refused(RelayStatus.MALFORMED, "target " + ip.getHostAddress() + ":" + port);
        }
        if (family == 6 && ip instanceof Inet4Address) {
            return new Parsed.Refused(RelayStatus.MALFORMED, "an IPv4-mapped address as IPv6");
        }
        return new Parsed.Request(new RelayRequest.Connect(new InetSocketAddress(ip, port)), length);
    }

    public static byte[] answer(RelayStatus status) {
        return new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) VERSION, (byte) status.code()};
    }

    /** The status in a relay's 6-byte answer; MALFORMED for bytes that are no answer. */
    public static RelayStatus parseAnswer(byte[] answer) {
        if (answer.length != ANSWER_BYTES || !isRelay(answer)) {
            return RelayStatus.MALFORMED;
        }
        if ((answer[4] & 0xFF) != VERSION) {
            return RelayStatus.VERSION_MISMATCH;
        }
        return RelayStatus.of(answer[5] & 0xFF).orElse(RelayStatus.MALFORMED);
    }

    private static byte[] withHeader(int op, byte[] body) {
        byte[] out = new byte[6 + body.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC_BYTES);
        out[4] = (byte) VERSION;
        out[5] = (byte) op;
        System.arraycopy(body, 0, out, 6, body.length);
        return out;
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }
}
