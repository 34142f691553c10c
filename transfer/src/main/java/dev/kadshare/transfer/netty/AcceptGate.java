package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The listener's first look at an accepted connection: one its caps would refuse now is reset and counted before it
 * is registered on an event loop, so a flood from one address costs the server an accept and a close, not a channel's
 * registration, pipeline and events on the loops that serve honest peers. What passes is admitted (and counted) by
 * the connection's own initializer, which still refuses one that lost a race for the last place.
 */
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final ConnectionGuards guards;

    public AcceptGate(ConnectionGuards guards) {
        this.guards = guards;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        Optional<ConnectionDrop> refused = child.remoteAddress() instanceof InetSocketAddress remote
                ? guards.caps().refusal(remote.getAddress()) : Optional.empty();
        if (refused.isEmpty()) {
            ctx.fireChannelRead(child);
            return;
        }
        guards.drops().record(refused.get());
        child.config().setOption(ChannelOption.SO_LINGER, 0); // a reset: no TIME_WAIT left here by a flood
        child.unsafe().closeForcibly();
    }
}
