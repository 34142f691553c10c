package dev.kadshare.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A classic BPF socket filter that drops every packet from a set of hosts (IPv4 addresses matched exactly, IPv6 ones
 * by their /64 or whole, as {@link HostPrefix} counts them) and passes every other: what {@link ListenerFilter}
 * attaches to a listening socket, so the kernel drops a banned host's SYNs before answering them. Each host is a compare followed
 * by its own drop, so no jump is longer than the 8-bit offsets allow however many hosts there are.
 */
public final class SourceDropProgram {
    /** At most this many hosts: 9 instructions an IPv6 address stay well inside the kernel's 4,096. */
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

    private SourceDropProgram(Collection<HostPrefix> sources) {
        List<byte[]> v4 = new ArrayList<>();
        List<HostPrefix> v6 = new ArrayList<>();
        for (HostPrefix source : sources) {
            // a mapped IPv4 address (as a dual-stack listener names one) is its IPv4 prefix: its packets are IPv4
            if (source.bits() == HostPrefix.IPV4_BITS) {
                v4.add(source.address().getAddress());
            } else {
                v6.add(source);
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
        for (HostPrefix host : v6) {
            byte[] address = host.address().getAddress();
            int words = host.bits() / 32;
            for (int w = 0; w < words; w++) { // the IPv6 source address's first words, from offset 8
                add(LD_W_ABS, 0, 0, NET + 8 + 4 * w);
                // a mismatch skips the rest of this host's loads and compares, and its drop
                add(JEQ_K, 0, 2 * (words - 1 - w) + 1, word(address, 4 * w));
            }
            add(RET_K, 0, 0, DROP);
        }
        add(RET_K, 0, 0, PASS);
    }

    /** The program dropping {@code sources} (at most {@link #MAX_SOURCES}). */
    public static SourceDropProgram dropping(Collection<HostPrefix> sources) {
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
