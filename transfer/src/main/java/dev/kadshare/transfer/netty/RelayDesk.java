package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.relay.RelayCircuits;
import dev.kadshare.transfer.relay.RelayRequest;
import dev.kadshare.transfer.relay.RelayStatus;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's side of a connection that opened with a relay request ({@link RelayWire}): a RESERVE waits (kept alive,
 * for {@link RelayService#RESERVATION_TTL} at most) for a getter, a CONNECT is joined to the sharer reserved under
 * its target or waits {@link RelayService#GETTER_WAIT} for one; once joined both connections carry each other's bytes
 * ({@link RelaySplice}). Anything else is answered with its status and closed.
 */
final class RelayDesk extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayDesk.class);
    static final String NAME = "relay-desk";

    private final RelayService relay;
    private byte[] received = new byte[0];
    private boolean answered;
    /** Set once the request is read: what its owner must undo when the connection goes. */
    private Runnable onClose = () -> { };
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    RelayDesk(RelayService relay) {
        this.relay = relay;
    }

    /**
     * The request has as long to arrive whole as a link's handshake: the handshake's deadline went with the handlers
     * this desk took the place of, and a request trickled a byte at a time held its connection until the idle close.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timers.add(ctx.executor().schedule(() -> {
            if (!answered) {
                log.debug("relay: closing {}: no whole request within {} s", ctx.channel().remoteAddress(),
                        LinkHandshakeHandler.DEADLINE.toSeconds());
                ctx.close();
            }
        }, LinkHandshakeHandler.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        byte[] more;
        try {
            more = ByteBufUtil.getBytes(in);
        } finally {
            in.release();
        }
        if (answered) {
            // Nothing may come between the request and the circuit: the peers' link starts once it is open.
            refuse(ctx, RelayStatus.MALFORMED, "bytes before the circuit opened");
            return;
        }
        byte[] all = new byte[received.length + more.length];
        System.arraycopy(received, 0, all, 0, received.length);
        System.arraycopy(more, 0, all, received.length, more.length);
        received = all;
        RelayWire.Parsed parsed = RelayWire.parse(received);
        if (parsed instanceof RelayWire.Parsed.Incomplete) {
            if (received.length >= RelayWire.MAX_REQUEST_BYTES) {
                refuse(ctx, RelayStatus.MALFORMED, "request too long");
            }
            return;
        }
        if (parsed instanceof RelayWire.Parsed.Refused r) {
            refuse(ctx, r.status(), r.why());
            return;
        }
        RelayWire.Parsed.Request request = (RelayWire.Parsed.Request) parsed;
        if (request.length() != received.length) {
            refuse(ctx, RelayStatus.MALFORMED, "bytes after the request");
            return;
        }
        answered = true;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        if (request.request() instanceof RelayRequest.Reserve reserve) {
            reserve(ctx, new InetSocketAddress(remote.getAddress(), reserve.port()));
        } else {
            connect(ctx, ((RelayRequest.Connect) request.request()).target(), remote.getAddress());
        }
    }

    private void reserve(ChannelHandlerContext ctx, InetSocketAddress key) {
        Channel sharer = ctx.channel();
        RelayCircuits.Reserved<Channel> reserved = relay.reserve(key, sharer);
        if (reserved instanceof RelayCircuits.Reserved.Refused<Channel> r) {
            answer(ctx, r.status());
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(RelayWire.answer(RelayStatus.ACCEPTED)));
        if (reserved instanceof RelayCircuits.Reserved.Joined<Channel> j) {
            log.info("relay: {} reserved, joined to the getter {} waiting for it", key, j.getter().remoteAddress());
            join(sharer, j.getter(), j.circuit());
            return;
        }
        ((RelayCircuits.Reserved.Waiting<Channel>) reserved).replaced().ifPresent(Channel::close);
        log.debug("relay: {} waits for a getter", key);
        onClose = () -> relay.unreserved(key, sharer);
        timers.add(ctx.executor().scheduleAtFixedRate(
                () -> ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {RelayWire.KEEPALIVE})),
                RelayService.KEEPALIVE.toMillis(), RelayService.KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS));
        timers.add(ctx.executor().schedule(() -> {
            ctx.close();
        }, RelayService.RESERVATION_TTL.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void connect(ChannelHandlerContext ctx, InetSocketAddress key, InetAddress from) {
        Channel getter = ctx.channel();
        RelayCircuits.Connected<Channel> connected = relay.connect(key, getter, from);
        if (connected instanceof RelayCircuits.Connected.Refused<Channel> r) {
            log.info("relay: refused {} a circuit to {}: {}", getter.remoteAddress(), key, r.status());
            answer(ctx, r.status());
        } else if (connected instanceof RelayCircuits.Connected.Joined<Channel> j) {
            log.info("relay: circuit {} <-> {}", getter.remoteAddress(), key);
            join(j.sharer(), getter, j.circuit());
        } else {
            onClose = () -> relay.gaveUp(key, getter);
            timers.add(ctx.executor().schedule(() -> {
                if (relay.gaveUp(key, getter)) {
                    log.info("relay: nobody reserved under {} for {}", key, getter.remoteAddress());
                    answer(ctx, RelayStatus.NO_RESERVATION);
                }
            }, RelayService.GETTER_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Joins the two connections: each end's desk gives way to a splice (on its own loop, the sharer's first, so the
     * getter's first bytes find the sharer's end ready), then the sharer hears the circuit open, the getter its answer.
     */
    private void join(Channel sharer, Channel getter, RelayCircuits.Circuit circuit) {
        sharer.eventLoop().execute(() -> {
            splice(sharer, getter, circuit);
            sharer.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {RelayWire.CIRCUIT_OPEN}));
        });
        getter.eventLoop().execute(() -> {
            splice(getter, sharer, circuit);
            getter.writeAndFlush(Unpooled.wrappedBuffer(RelayWire.answer(RelayStatus.ACCEPTED)));
        });
    }

    private void splice(Channel end, Channel partner, RelayCircuits.Circuit circuit) {
        if (!end.isActive()) {
            relay.closed(circuit, false);
            partner.close();
            return;
        }
        RelayDesk desk = end.pipeline().get(RelayDesk.class);
        if (desk != null) {
            desk.onClose = () -> { };
            end.pipeline().remove(desk);
        }
        long rate = relay.caps().bytesPerSecondPerCircuit();
        if (rate > 0) {
            // Writes shaped: a full queue makes the end unwritable, and the splice of the other end stops reading.
            end.pipeline().addLast("relay-rate", new ChannelTrafficShapingHandler(rate, 0));
        }
        end.pipeline().addLast("relay-splice", new RelaySplice(partner, circuit, relay));
    }

    private void refuse(ChannelHandlerContext ctx, RelayStatus status, String why) {
        log.info("relay: refusing {}: {}", ctx.channel().remoteAddress(), why);
        relay.refused(status);
        answered = true;
        answer(ctx, status);
    }

    private static void answer(ChannelHandlerContext ctx, RelayStatus status) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(RelayWire.answer(status))).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timers.forEach(t -> t.cancel(false));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timers.forEach(t -> t.cancel(false));
        onClose.run();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("relay connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
