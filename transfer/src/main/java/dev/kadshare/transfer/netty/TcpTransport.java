package dev.kadshare.transfer.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The TCP channel classes that match an event loop group: native epoll channels on an epoll group (less
 * CPU per byte: edge-triggered, no selector garbage, sendfile without the JDK's locking), NIO otherwise.
 * Whoever makes the group chooses; the transfer code follows.
 */
public enum TcpTransport {
    NIO(NioSocketChannel.class, NioServerSocketChannel.class),
    EPOLL(EpollSocketChannel.class, EpollServerSocketChannel.class);

    /** Linux's errno for an address in use; epoll exists only on Linux. */
    private static final int EADDRINUSE = 98;

    private final Class<? extends SocketChannel> socket;
    private final Class<? extends ServerSocketChannel> server;

    TcpTransport(Class<? extends SocketChannel> socket, Class<? extends ServerSocketChannel> server) {
        this.socket = socket;
        this.server = server;
    }

    /** Epoll where the native library loads (Linux), NIO elsewhere. */
    public static TcpTransport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** A new event loop group of this transport. */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, this == EPOLL ? EpollIoHandler.newFactory()
                : NioIoHandler.newFactory());
    }

    /** The transport whose channels can register with {@code group}. */
    public static TcpTransport of(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class) ? EPOLL : NIO;
    }

    /**
     * The exception for a failed bind, a {@link BindException} when the address is taken whichever transport
     * failed (epoll reports it as a native error, NIO as a BindException).
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

    public Class<? extends SocketChannel> socketChannel() {
        return socket;
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return server;
    }
}
