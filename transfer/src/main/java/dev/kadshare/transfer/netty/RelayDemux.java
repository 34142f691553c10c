package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.relay.RelayStatus;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import java.util.List;
import java.util.function.Supplier;

/**
 * On every connection a transfer server accepts, just before the link's handlers: its first four bytes say whether it
 * is a link (the usual transfer connection: the demux steps aside) or a relay request (the link's handlers after it
 * give way to a {@link RelayDesk}, when this node relays; else the request is answered
 * {@link RelayStatus#NOT_OFFERED} and closed). Until then the link's deadlines run as on any connection.
 */
public final class RelayDemux extends ChannelInboundHandlerAdapter {
    private final Supplier<Optional<RelayService>> relay;
    private ByteBuf first;

    /** {@code relay}: this node's relay, if any. */
    public RelayDemux(Supplier<Optional<RelayService>> relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (first == null) {
            first = ctx.alloc().buffer(Math.max(RelayWire.MAGIC_BYTES, in.readableBytes()));
        }
        first.writeBytes(in);
        in.release();
        if (first.readableBytes() < RelayWire.MAGIC_BYTES) {
            return;
        }
        byte[] magic = new byte[RelayWire.MAGIC_BYTES];
        first.getBytes(first.readerIndex(), magic);
        ByteBuf bytes = first;
        first = null;
        ChannelPipeline pipeline = ctx.pipeline();
        if (!RelayWire.isRelay(magic)) {
            pipeline.remove(this);
        } else if (relay.get().isPresent()) {
            List<String> after = pipeline.names();
            after.subList(after.indexOf(ctx.name()) + 1, after.size()).stream()
                    .filter(name -> pipeline.get(name) != null).forEach(pipeline::remove);
            pipeline.replace(this, RelayDesk.NAME, new RelayDesk(relay.get().get()));
        } else {
            bytes.release();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RelayWire.answer(RelayStatus.NOT_OFFERED)))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        pipeline.fireChannelRead(bytes);
        pipeline.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (first != null) {
            first.release();
            first = null;
        }
    }
}
