package dev.kadshare.transfer.netty;

import dev.kadshare.net.ListenerFilter;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.FloodBans;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's first look at an accepted connection: one its caps would refuse now is reset and counted before it
 * is registered on an event loop, so a flood from one address costs the server an accept and a close, not a channel's
 * registration, pipeline and events on the loops that serve honest peers. An address refused at its cap often enough
 * to pass the {@link dev.kadshare.transfer.FloodBan} policy is then banned in the kernel ({@link ListenerFilter}): its
 * SYNs go unanswered, and its flood costs neither accepts nor handshakes until the ban ends. What passes is admitted
 * (and counted) by the connection's own initializer, which still refuses one that lost a race for the last place.
 * One gate per listener; it runs on the listener's event loop.
 */
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptGate.class);

    private final ConnectionGuards guards;
    private final FloodBans bans;
    private final LongSupplier nanos;
    private ListenerFilter filter;

    /** A gate for {@code guards}, its bans timed by {@code nanos} (monotonic nanoseconds). */
    public AcceptGate(ConnectionGuards guards, LongSupplier nanos) {
        this.guards = guards;
        this.bans = new FloodBans(guards.limits().floodBan());
        this.nanos = nanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        InetAddress ip = child.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        Optional<ConnectionDrop> refused = ip != null ? guards.caps().refusal(ip) : Optional.empty();
        if (refused.isEmpty()) {
            ctx.fireChannelRead(child);
            return;
        }
        guards.drops().record(refused.get());
        child.config().setOption(ChannelOption.SO_LINGER, 0); // a reset: no TIME_WAIT left here by a flood
        child.unsafe().closeForcibly();
        if (refused.get() == ConnectionDrop.IP_CAP) {
            bans.refused(ip, nanos.getAsLong()).ifPresent(ban -> ban(ctx, ban));
        }
    }

    private void ban(ChannelHandlerContext ctx, FloodBans.Ban ban) {
        if (filter == null) {
            filter = ListenerFilter.of(ctx.channel());
        }
        ListenerFilter.Outcome outcome = filter.drop(bans.banned());
        if (outcome instanceof ListenerFilter.Unsupported unsupported) {
            bans.lift(ban.host()); // refused at accept as before: nothing else here can enforce a ban
            LOG.debug("cannot ban {} at the listener: {}", ban.host(), unsupported.reason());
            return;
        }
        guards.drops().record(ConnectionDrop.FLOOD_BANNED);
        long delay = Math.max(0, ban.untilNanos() - nanos.getAsLong());
        var unused = ctx.executor().schedule(() -> endDueBans(ctx), delay, TimeUnit.NANOSECONDS); // ends with the loop
    }

    private void endDueBans(ChannelHandlerContext ctx) {
        if (!bans.expire(nanos.getAsLong()).isEmpty() && ctx.channel().isOpen()) {
            filter.drop(bans.banned());
        }
    }
}
