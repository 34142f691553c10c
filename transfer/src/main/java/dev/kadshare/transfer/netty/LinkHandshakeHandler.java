package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.link.LinkHandshake;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.link.LinkStep;
import dev.kadshare.transfer.link.noise.Pattern;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a connection's link handshake ({@link LinkHandshake}) within {@link #DEADLINE} of connecting, then replaces
 * itself with the {@link RecordCodec} and fires {@link LinkEstablished} and, only then, channel-active: the handlers
 * after it see an active channel only once the peer is proven. Refusals are counted by reason; a dialled address's
 * proven identity goes into the node's {@code KnownKeys}, an IK attempt that failed takes the key out again (and
 * dials once more, with XX, in its place), and another node than the one expected there is refused and forgotten.
 */
final class LinkHandshakeHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(LinkHandshakeHandler.class);
    static final Duration DEADLINE = Duration.ofSeconds(10);
    static final String NAME = "handshake";

    private final LinkSecurity.Encrypted security;
    /** The address dialled, for the initiator; empty on the serving side. */
    private final Optional<InetSocketAddress> dialled;
    private final LinkHandshake handshake;
    /** Dials the same address again; run when the peer hung up on our IK (its key changed), so XX follows at once. */
    private final Optional<Runnable> redialWithXx;
    /** Dialled through a relay: the far end may be the relay, so nothing is learnt (nor unlearnt) about the address. */
    private final boolean throughRelay;
    private ScheduledFuture<?> timeout;
    private boolean over;
    /** Closed by this node (the download let go of the peer), not by the peer: no failure, no redial. */
    private boolean closedHere;

    LinkHandshakeHandler(LinkSecurity.Encrypted security, Optional<InetSocketAddress> dialled,
            Optional<Runnable> redialWithXx, boolean throughRelay) {
        this.security = security;
        this.dialled = dialled;
        this.redialWithXx = redialWithXx;
        this.throughRelay = throughRelay;
        this.handshake = dialled.isPresent()
                ? LinkHandshake.initiator(security.identity(), security.known().at(dialled.get()),
                        security.hints().at(dialled.get()), security.random())
                : LinkHandshake.responder(security.identity(), security.random());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held back: the handlers after this one hear of the channel once the peer is proven
        timeout = ctx.executor().schedule(() -> {
            if (!over) {
                refuse(ctx, ConnectionDrop.HANDSHAKE_TIMEOUT, "handshake not finished within " + DEADLINE.toSeconds() + " s",
                        new byte[0]);
            }
        }, DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        byte[] first = handshake.start();
        if (first.length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(first));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(in);
        } finally {
            in.release();
        }
        if (over) {
            return;
        }
        LinkStep step = handshake.receive(bytes);
        if (step instanceof LinkStep.Continue c) {
            if (c.send().length > 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(c.send()));
            }
        } else if (step instanceof LinkStep.Refused refused) {
            refuse(ctx, refused.reason(), refused.why(), refused.send());
        } else if (step instanceof LinkStep.Established established) {
            establish(ctx, established);
        }
    }

    private void establish(ChannelHandlerContext ctx, LinkStep.Established established) {
        finish();
        if (established.send().length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(established.send()));
        }
        // Through a relay only IK proves the address's node: with the key we expected, only it could answer.
        dialled.filter(address -> !throughRelay || established.peer().pattern() == Pattern.IK).ifPresent(address -> {
            security.known().proven(address, established.peer());
            if (handshake.triesHint()) {
                security.hints().confirmed(address);
            }
        });
        log.debug("link to {} established ({}): node {}", ctx.channel().remoteAddress(), established.peer().pattern(),
                established.peer().nodeId());
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.replace(this, "records", new RecordCodec(established.transport(), security.drops(), security.sealed()));
        ChannelHandlerContext records = pipeline.context("records");
        records.fireUserEventTriggered(new LinkEstablished(established.peer().nodeId()));
        records.fireChannelActive();
        if (established.leftover().length > 0) {
            pipeline.fireChannelRead(Unpooled.wrappedBuffer(established.leftover()));
            pipeline.fireChannelReadComplete();
        }
    }

    private void refuse(ChannelHandlerContext ctx, ConnectionDrop reason, String why, byte[] send) {
        finish();
        security.drops().record(reason);
        dialled.filter(address -> !throughRelay).ifPresent(address -> {
            if (reason == ConnectionDrop.WRONG_IDENTITY) {
                security.known().forget(address);
            } else if (handshake.pattern().filter(p -> p == Pattern.IK).isPresent()) {
                security.known().forgetKey(address);
                security.hints().refute(address);
            }
        });
        log.warn("closing link with {}: {} ({})", ctx.channel().remoteAddress(), why, reason);
        if (send.length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(send)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    /** The handshake is over, one way or another: its deadline goes. */
    private void finish() {
        over = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /** Taken out before its end (the connection turned out to be a relay request): its deadline goes with it. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!over) {
            finish();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closedHere = true;
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!over && closedHere) {
            finish();
        } else if (!over) {
            finish();
            // The peer hung up mid-handshake: it refused us (an IK to a key it no longer has, or one the DHT named
            // wrongly; our identity), or it speaks the plaintext protocol 4, which closes on our preamble as an
            // oversized frame. A wrong hint is the DHT's fault, not the peer's: counted as such, held against nobody.
            security.drops().record(handshake.triesHint() ? ConnectionDrop.KEY_HINT_REFUTED : ConnectionDrop.HANDSHAKE_FAILED);
            // A relay hanging up proves nothing of the peer's key.
            if (dialled.isPresent() && !throughRelay && handshake.pattern().filter(p -> p == Pattern.IK).isPresent()) {
                // The key we knew or were told is stale or wrong (the node got a new identity, another took the
                // address, a storer lied): forget it, never try that hint again, and dial again with XX in this
                // connection's place (XX: no redial after it, so no loop); the handlers after us never heard of this one.
                security.known().forgetKey(dialled.get());
                security.hints().refute(dialled.get());
                if (redialWithXx.isPresent()) {
                    log.info("{} hung up on our IK handshake ({} key): dialling again with XX",
                            ctx.channel().remoteAddress(), handshake.triesHint() ? "the DHT's" : "a known");
                    redialWithXx.get().run();
                    return;
                }
            }
            log.info("{} closed during the link handshake (an older, plaintext node closes so)",
                    ctx.channel().remoteAddress());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!over) {
            log.debug("link with {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
