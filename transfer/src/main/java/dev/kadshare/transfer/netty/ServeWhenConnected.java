package dev.kadshare.transfer.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On a connection we dialled to serve on (hole punching), installs the server's pipeline once the connection is up,
 * when its remote address is known for the server's admission checks, then lets that pipeline see it become active
 * (the link's handshake starts its deadline then), as on an accepted connection.
 */
public final class ServeWhenConnected extends ChannelInboundHandlerAdapter {
    private final ChannelHandler serving;

    /** {@code serving}: the initializer the server's listener gives each accepted connection. */
    public ServeWhenConnected(ChannelHandler serving) {
        this.serving = serving;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.pipeline().addLast(serving);
        ctx.pipeline().remove(this);
        ctx.pipeline().fireChannelActive();
    }
}
