package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.link.noise.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's records on a channel, after its handshake: every outbound buffer and chunk span is sealed into records
 * of at most {@link #RECORD_PLAINTEXT} bytes (a span read from its file into one reused direct buffer, positionally,
 * then sealed into the pooled direct buffer that is written), and inbound records are opened into a pooled direct
 * buffer, all whole records of one read into one buffer. A record that fails, or a stream that ends inside one,
 * closes the channel, counted as {@link ConnectionDrop#BAD_RECORD}.
 */
final class RecordCodec extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(RecordCodec.class);
    /** Plaintext per record: the largest a record holds; one cipher call each (see the README's measurement). */
    static final int RECORD_PLAINTEXT = RecordLayer.MAX_PLAINTEXT;

    private final RecordLayer records;
    private final ConnectionDrops drops;
    private ByteBuffer fileReads;
    private ByteBuf cumulation;
    private boolean failed;

    RecordCodec(Transport transport, ConnectionDrops drops) {
        this.records = new RecordLayer(transport);
        this.drops = drops;
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            ctx.write(sealed(ctx, buf), promise);
        } else if (msg instanceof FileSpanRegion region) {
            try {
                ctx.write(sealed(ctx, region), promise);
            } catch (IOException e) {
                promise.setFailure(e);
            } finally {
                region.release();
            }
        } else {
            ctx.write(msg, promise);
        }
    }

    private ByteBuf sealed(ChannelHandlerContext ctx, ByteBuf plain) {
        try {
            int length = plain.readableBytes();
            ByteBuf out = ctx.alloc().directBuffer(sealedSize(length));
            ByteBuffer target = out.nioBuffer(0, out.capacity());
            int at = plain.readerIndex();
            int end = at + length;
            do {
                int n = Math.min(RECORD_PLAINTEXT, end - at);
                records.seal(plain.nioBuffer(at, n), target);
                at += n;
            } while (at < end);
            out.writerIndex(target.position());
            return out;
        } catch (NoiseException e) {
            throw new IllegalStateException(e);
        } finally {
            plain.release();
        }
    }

    private ByteBuf sealed(ChannelHandlerContext ctx, FileSpanRegion region) throws IOException {
        long count = region.count();
        if (count > Integer.MAX_VALUE / 2) {
            throw new IOException("span of " + count + " bytes is larger than any chunk");
        }
        if (fileReads == null) {
            fileReads = ByteBuffer.allocateDirect(RECORD_PLAINTEXT);
        }
        ByteBuf out = ctx.alloc().directBuffer(sealedSize((int) count));
        try {
            ByteBuffer target = out.nioBuffer(0, out.capacity());
            long at = region.position();
            long end = at + count;
            while (at < end) {
                fileReads.clear().limit((int) Math.min(RECORD_PLAINTEXT, end - at));
                while (fileReads.hasRemaining()) {
                    int n = region.file().read(fileReads, at + fileReads.position());
                    if (n < 0) {
                        throw new EOFException("file ended inside a chunk's span");
                    }
                }
                at += fileReads.flip().remaining();
                records.seal(fileReads, target);
            }
            out.writerIndex(target.position());
            return out;
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        } catch (NoiseException e) {
            out.release();
            throw new IllegalStateException(e);
        }
    }

    private static int sealedSize(int plaintext) {
        int full = plaintext / RECORD_PLAINTEXT;
        int rest = plaintext % RECORD_PLAINTEXT;
        return full * RecordLayer.sealedSize(RECORD_PLAINTEXT) + (rest > 0 || full == 0 ? RecordLayer.sealedSize(rest) : 0);
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            in.release();
            return;
        }
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        ByteBuffer wire = cumulation.nioBuffer();
        int records = 0;
        int plaintext = 0;
        for (int at = 0; wire.limit() - at >= RecordLayer.HEADER_BYTES; records++) {
            int plain = RecordLayer.plaintextOf(wire.duplicate().position(at));
            if (plain < 0) {
                fail(ctx, "record shorter than its tag");
                return;
            }
            if (wire.limit() - at < RecordLayer.sealedSize(plain)) {
                break;
            }
            plaintext += plain;
            at += RecordLayer.sealedSize(plain);
        }
        if (records == 0) {
            return;
        }
        // all whole records of this read into one buffer
        ByteBuf plain = ctx.alloc().directBuffer(plaintext);
        ByteBuffer target = plain.nioBuffer(0, plaintext);
        try {
            for (int i = 0; i < records; i++) {
                this.records.open(wire, target);
            }
        } catch (NoiseException e) {
            plain.release();
            fail(ctx, e.getMessage());
            return;
        }
        cumulation.skipBytes(wire.position());
        if (!cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        }
        plain.writerIndex(plaintext);
        if (plaintext > 0) {
            ctx.fireChannelRead(plain);
        } else {
            plain.release();
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        failed = true;
        release();
        drops.record(ConnectionDrop.BAD_RECORD);
        log.warn("closing {}: bad record: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null && cumulation.isReadable() && !failed) {
            drops.record(ConnectionDrop.BAD_RECORD);
            log.warn("{} closed inside a record", ctx.channel().remoteAddress());
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (cumulation != null) {
            ReferenceCountUtil.safeRelease(cumulation);
            cumulation = null;
        }
    }
}
