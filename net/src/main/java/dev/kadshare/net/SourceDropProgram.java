package dev.kadshare.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A classic BPF socket filter that drops every packet from a set of source addresses (IPv4 and IPv6, each matched
 * exactly) and passes every other: what {@link ListenerFilter} attaches to a listening socket, so the kernel drops a
 * banned host's SYNs before answering them. Each address is a compare followed by its own drop, so no jump is longer
 * than the 8-bit offsets allow however many addresses there are.
 */
public final class SourceDropProgram {
    /** At most this many addresses: 9 instructions an IPv6 address stay well inside the kernel's 4,096. */
    public static final int MAX_SOURCES = 256;

    private static final int LD_W_ABS = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int JA = 0x05;
    private static final int RET_K = 0x06;
    /** The kernel's ancillary load of skb->protocol (SKF_AD_OFF + SKF_AD_PROTOCOL). */
    private static final int PROTOCOL = -0x1000;
    /** Loads relative to the network header (SKF_NET_OFF): the filter runs where the data starts at TCP's header. */
    private static final int NET = -0x100000;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int DROP = 0;
    private static final int PASS = -1;

    private final List<int[]> instructions = new ArrayList<>();

    private SourceDropProgram(Collection<InetAddress> sources) {
        List<byte[]> v4 = new ArrayList<>();
        List<byte[]> v6 = new ArrayList<>();
        for (InetAddress source : sources) {
            byte[] address = source.getAddress();
            if (source instanceof Inet4Address) {
                v4.add(address);
            } else if (MappedIpv4.is(address)) { // named so on a dual-stack listener, its packets are IPv4
                v4.add(MappedIpv4.ipv4(address));
            } else {
                v6.add(address);
            }
        }
        add(LD_W_ABS, 0, 0, PROTOCOL);
        add(JEQ_K, 0, 1, ETH_P_IPV6);
        add(JA, 0, 0, 2 + 2 * v4.size()); // over the IPv4 part: its load, its pairs and its pass
        add(LD_W_ABS, 0, 0, NET + 12); // IPv4 source address
        for (byte[] address : v4) {
            add(JEQ_K, 0, 1, word(address, 0));
            add(RET_K, 0, 0, DROP);
        }
        add(RET_K, 0, 0, PASS);
        for (byte[] address : v6) {
            for (int w = 0; w < 4; w++) { // IPv6 source address: four words from offset 8
                add(LD_W_ABS, 0, 0, NET + 8 + 4 * w);
                add(JEQ_K, 0, 7 - 2 * w, word(address, 4 * w)); // a mismatch skips to the next address
            }
            add(RET_K, 0, 0, DROP);
        }
        add(RET_K, 0, 0, PASS);
    }

    /** The program dropping {@code sources} (at most {@link #MAX_SOURCES}). */
    public static SourceDropProgram dropping(Collection<InetAddress> sources) {
        if (sources.size() > MAX_SOURCES) {
            throw new IllegalArgumentException(sources.size() + " sources, at most " + MAX_SOURCES);
        }
        return new SourceDropProgram(sources);
    }

    /** Number of instructions. */
    public int length() {
        return instructions.size();
    }

    /** The instructions as the kernel reads them: {@code struct sock_filter}s of 8 bytes in native byte order. */
    public ByteBuffer encode(ByteBuffer out) {
        out.order(ByteOrder.nativeOrder());
        for (int[] i : instructions) {
            out.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        return out.flip();
    }

    private void add(int code, int jt, int jf, int k) {
        instructions.add(new int[] {code, jt, jf, k});
    }

    /** A 32-bit load yields the packet's bytes as a big-endian number. */
    private static int word(byte[] address, int offset) {
        return ByteBuffer.wrap(address, offset, 4).getInt();
    }
}
