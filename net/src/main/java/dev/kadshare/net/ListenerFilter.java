package dev.kadshare.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Drops, in the kernel, every packet that a set of hosts ({@link HostPrefix}) sends to a listening socket: a
 * {@link SourceDropProgram} attached with {@code SO_ATTACH_FILTER}, which needs no privilege. The kernel then never
 * answers a banned host's SYNs, so its flood costs this node neither an accept nor a handshake. Needs the epoll
 * transport (Linux); elsewhere the result says why nothing was attached. Connections accepted later inherit the
 * filter of their moment, which costs them a few instructions a packet and matches only their own peer.
 */
public final class ListenerFilter {
    private static final int SOL_SOCKET = 1;
    private static final IntegerUnixChannelOption SO_DETACH_FILTER =
            new IntegerUnixChannelOption("SO_DETACH_FILTER", SOL_SOCKET, 27);
    /** Takes a {@code struct sock_fprog}: a count, then (aligned) a pointer to the instructions. */
    private static final RawUnixChannelOption SO_ATTACH_FILTER =
            new RawUnixChannelOption("SO_ATTACH_FILTER", SOL_SOCKET, 26, 2 * Buffer.addressSize());

    private final Channel listener;
    private boolean attached;

    private ListenerFilter(Channel listener) {
        this.listener = listener;
    }

    /** The filter of {@code listener}, which has none yet. Use it from one thread at a time (the listener's loop). */
    public static ListenerFilter of(Channel listener) {
        return new ListenerFilter(listener);
    }

    /** What attaching a filter came to. */
    public sealed interface Outcome {
    }

    /** The listener now drops packets from {@code sources} hosts (none: no filter at all). */
    public record Installed(int sources) implements Outcome {
    }

    /** Nothing changed at the listener, for {@code reason}. */
    public record Unsupported(String reason) implements Outcome {
    }

    /** Makes {@code listener} drop every packet from {@code sources}, replacing the set it dropped before. */
    public Outcome drop(Collection<HostPrefix> sources) {
        if (!(listener instanceof EpollServerSocketChannel)) {
            return new Unsupported("a kernel filter needs the epoll transport, not " + listener.getClass().getName());
        }
        try {
            if (!sources.isEmpty()) {
                attach(SourceDropProgram.dropping(sources));
                attached = true;
            } else if (attached) {
                set(SO_DETACH_FILTER, 0);
                attached = false;
            }
            return new Installed(sources.size());
        } catch (ChannelException | IllegalArgumentException e) {
            return new Unsupported(String.valueOf(e.getMessage()));
        }
    }

    private void attach(SourceDropProgram program) {
        ByteBuffer instructions = Buffer.allocateDirectWithNativeOrder(8 * program.length());
        try {
            program.encode(instructions);
            int pointer = Buffer.addressSize();
            ByteBuffer fprog = Buffer.allocateDirectWithNativeOrder(SO_ATTACH_FILTER.length());
            try {
                fprog.putShort(0, (short) program.length());
                if (pointer == 8) {
                    fprog.putLong(8, Buffer.memoryAddress(instructions));
                } else {
                    fprog.putInt(4, (int) Buffer.memoryAddress(instructions));
                }
                set(SO_ATTACH_FILTER, fprog);
            } finally {
                Buffer.free(fprog);
            }
        } finally {
            Buffer.free(instructions); // the kernel copied the program
        }
    }

    private <T> void set(ChannelOption<T> option, T value) {
        if (!listener.config().setOption(option, value)) {
            throw new ChannelException(option.name() + " is not supported by " + listener.getClass().getName());
        }
    }
}
