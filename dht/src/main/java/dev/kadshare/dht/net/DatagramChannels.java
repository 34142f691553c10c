package dev.kadshare.dht.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/** The UDP channel class that can register with a given event loop group: epoll on an epoll group, else NIO. */
public final class DatagramChannels {
    /** Linux's errno for an address in use; epoll exists only on Linux. */
    private static final int EADDRINUSE = 98;

    private DatagramChannels() {
    }

    /**
     * The exception for a failed bind, a {@link BindException} when the port is taken whichever transport
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

    public static Class<? extends DatagramChannel> forGroup(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class)
                ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
