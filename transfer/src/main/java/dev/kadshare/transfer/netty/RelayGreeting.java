package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.relay.RelayStatus;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our side of a relay request, first on a connection we dial to a relay: sends the request, reads the answer (and, as
 * a waiting sharer, the keepalives until the circuit opens), then gives way to the handlers after it, which hear of
 * the channel as active only then: the peers' link runs through the circuit as over any connection. A refusal closes
 * the connection and is reported to {@code refused}.
 */
final class RelayGreeting extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayGreeting.class);

    /** Which end of a circuit we are: a getter's circuit is open with the answer, a sharer's with a later byte. */
    enum End { GETTER, SHARER }

    private final End end;
    private final byte[] request;
    private final Runnable opened;
    private final Consumer<RelayStatus> refused;
    private final byte[] answer = new byte[RelayWire.ANSWER_BYTES];
    private int answerRead;

    RelayGreeting(End end, byte[] request, Runnable opened, Consumer<RelayStatus> refused) {
        this.end = end;
        this.request = request;
        this.opened = opened;
        this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        while (answerRead < answer.length && in.isReadable()) {
            answer[answerRead++] = in.readByte();
        }
        if (answerRead < answer.length) {
            in.release();
            return;
        }
        RelayStatus status = RelayWire.parseAnswer(answer);
        if (status != RelayStatus.ACCEPTED) {
            in.release();
            answerRead = 0;
            log.info("relay {} refused: {}", ctx.channel().remoteAddress(), status);
            refused.accept(status);
            ctx.close();
            return;
        }
        if (end == End.SHARER) {
            while (in.isReadable() && in.getByte(in.readerIndex()) == RelayWire.KEEPALIVE) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                in.release();
                return;
            }
            if (in.readByte() != RelayWire.CIRCUIT_OPEN) {
                in.release();
                log.info("relay {} sent no circuit", ctx.channel().remoteAddress());
                refused.accept(RelayStatus.MALFORMED);
                ctx.close();
                return;
            }
        }
        opened.run();
        ctx.pipeline().remove(this);
        ctx.pipeline().fireChannelActive();
        if (in.isReadable()) {
            ctx.pipeline().fireChannelRead(in);
            ctx.pipeline().fireChannelReadComplete();
        } else {
            in.release();
        }
    }
}
