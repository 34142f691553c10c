package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.FileSpan;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The serving side of one connection: HELLO, then manifest and chunk requests for that content. */
public final class ServerSession extends SimpleChannelInboundHandler<Message> {
    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);

    private final ContentSource source;
    private Optional<SharedContent> content = Optional.empty();
    private Optional<ContentLayout> layout = Optional.empty();

    public ServerSession(ContentSource source) {
        this.source = source;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof Message.Hello hello) {
            onHello(ctx, hello);
        } else if (content.isEmpty()) {
            closeBecause(ctx, "sent " + msg + " before HELLO");
        } else if (msg instanceof Message.ManifestRequest) {
            ctx.writeAndFlush(new Message.ManifestData(content.get().manifest().canonicalBytes()));
        } else if (msg instanceof Message.Request request) {
            serve(ctx, content.get(), request.index());
        } else if (msg instanceof Message.Goodbye goodbye) {
            log.debug("{} said goodbye: {}", ctx.channel().remoteAddress(), goodbye.reason());
            ctx.close();
        } else {
            closeBecause(ctx, "unexpected " + msg);
        }
    }

    private void onHello(ChannelHandlerContext ctx, Message.Hello hello) {
        if (content.isPresent()) {
            closeBecause(ctx, "second HELLO");
            return;
        }
        if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION) {
            goodbye(ctx, "unsupported protocol version " + hello.protocolVersion());
            return;
        }
        content = source.find(hello.contentId());
        if (content.isEmpty()) {
            goodbye(ctx, "unknown content " + hello.contentId());
            return;
        }
        ctx.writeAndFlush(new Message.Hello(FrameCodec.PROTOCOL_VERSION, hello.contentId()));
    }

    private void serve(ChannelHandlerContext ctx, SharedContent shared, int index) {
        Manifest manifest = shared.manifest();
        if (index < 0 || index >= manifest.chunkCount()) {
            ctx.writeAndFlush(new Message.Reject(index, "no chunk " + index + " in " + manifest.chunkCount()));
            return;
        }
        int length = manifest.chunkLength(index);
        ctx.write(FrameCodec.chunkHeader(index, length, ctx.alloc()));
        // Zero-copy from the page cache; a region opens its file lazily and closes it when released. A chunk
        // of a directory share may span several files, hence several regions.
        for (FileSpan span : layout(shared).spans(manifest.chunkOffset(index), length)) {
            ctx.write(new DefaultFileRegion(span.file().toFile(), span.fileOffset(), span.length()))
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        ctx.flush();
        if (!ctx.channel().isWritable()) {
            // Backpressure: stop reading requests until the socket drains.
            ctx.channel().config().setAutoRead(false);
        }
    }

    private ContentLayout layout(SharedContent shared) {
        if (layout.isEmpty()) {
            layout = Optional.of(ContentLayout.of(shared.manifest(), shared.file()));
        }
        return layout.get();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBecause(ctx, cause.toString());
    }

    private static void goodbye(ChannelHandlerContext ctx, String reason) {
        log.info("refusing {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(new Message.Goodbye(reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private static void closeBecause(ChannelHandlerContext ctx, String reason) {
        log.warn("closing {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
