package dev.kadshare.net;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;

/**
 * A Netty transport and the channel classes that go with it: native epoll (less CPU per byte:
 * edge-triggered, no selector garbage, sendfile without the JDK's locking) or NIO. Whoever makes the event
 * loop group chooses; the dht and transfer code follow the group they are given.
 */
public enum Transport {
    NIO(NioSocketChannel.class, NioServerSocketChannel.class, NioDatagramChannel.class),
    EPOLL(EpollSocketChannel.class, EpollServerSocketChannel.class, EpollDatagramChannel.class);

    /** Linux's errno for an address in use; epoll exists only on Linux. */
    private static final int EADDRINUSE = 98;

    private final Class<? extends SocketChannel> socket;
    private final Class<? extends ServerSocketChannel> server;
    private final Class<? extends DatagramChannel> datagram;

    Transport(Class<? extends SocketChannel> socket, Class<? extends ServerSocketChannel> server,
            Class<? extends DatagramChannel> datagram) {
        this.socket = socket;
        this.server = server;
        this.datagram = datagram;
    }

    /** Epoll where the native library loads (Linux), NIO elsewhere. */
    public static Transport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** The transport whose channels can register with {@code group}. */
    public static Transport of(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class) ? EPOLL : NIO;
    }

    /** A new event loop group of this transport. */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, this == EPOLL ? EpollIoHandler.newFactory()
                : NioIoHandler.newFactory());
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socket;
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return server;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return datagram;
    }

    /**
     * {@code SO_REUSEPORT} for this transport's listeners: set on a listener, and on a socket that dials from the
     * listener's port ({@link #sharePort}), it lets both bind that port at once (hole punching).
     */
    public ChannelOption<Boolean> reusePort() {
        return this == EPOLL ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }

    /**
     * Sets {@code SO_REUSEADDR} and {@code SO_REUSEPORT} on a socket about to dial from a listener's port; call it
     * when the channel is registered, before it binds. Netty's epoll has no channel option for a connecting socket's
     * {@code SO_REUSEPORT}, so it is set on the socket itself.
     */
    public static void sharePort(SocketChannel channel) throws IOException {
        channel.config().setOption(ChannelOption.SO_REUSEADDR, true);
        if (channel instanceof EpollSocketChannel epoll) {
            ((io.netty.channel.unix.Socket) epoll.fd()).setReusePort(true);
        } else {
            channel.config().setOption(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
    }

    /**
     * The exception for a failed bind: a {@link BindException} when the address is taken, whichever
     * transport failed (epoll reports it as a native error, NIO as a BindException).
     */
    public static IOException bindFailure(InetSocketAddress address, Throwable cause) {
        if (cause instanceof BindException bind) {
            return bind;
        }
        if (cause instanceof Errors.NativeIoException nativeError && nativeError.expectedErr() == -EADDRINUSE) {
            BindException taken = new BindException("cannot bind " + address + ": address already in use");
            taken.initCause(cause);
            return taken;
        }
        return cause instanceof IOException io ? io : new IOException("cannot bind " + address, cause);
    }
}
