package dev.kadshare.transfer.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.util.List;

/** The channel options of every connection a server serves on, accepted, punched or relayed: one set in one place. */
public final class ServingOptions {
    private record Setting<T>(ChannelOption<T> option, T value) {
        void on(Bootstrap b) {
            b.option(option, value);
        }

        void onChildren(ServerBootstrap b) {
            b.childOption(option, value);
        }
    }

    private static final List<Setting<?>> SETTINGS = List.of(
            new Setting<>(ChannelOption.TCP_NODELAY, true),
            new Setting<>(ChannelOption.ALLOCATOR, TransferAllocator.INSTANCE),
            new Setting<>(ChannelOption.MESSAGE_SIZE_ESTIMATOR, ServerSession.SIZE_ESTIMATOR),
            // Room for a couple of whole chunks queued per connection: enough to keep the socket busy while the
            // session stops reading requests, small enough to bound memory per requester.
            new Setting<>(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(2 << 20, 4 << 20)));

    private ServingOptions() {
    }

    /** Sets them on {@code b}, a bootstrap that dials connections to serve on; returns it. */
    public static Bootstrap on(Bootstrap b) {
        SETTINGS.forEach(s -> s.on(b));
        return b;
    }

    /** Sets them on the connections {@code b} accepts; returns it. */
    public static ServerBootstrap onChildren(ServerBootstrap b) {
        SETTINGS.forEach(s -> s.onChildren(b));
        return b;
    }
}
