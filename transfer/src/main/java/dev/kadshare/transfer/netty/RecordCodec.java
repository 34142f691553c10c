package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.noise.CipherState;
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
 * of at most {@link #RECORD_PLAINTEXT} bytes (a span read positionally from its file into a reused array, sealed
 * into another, appended to the pooled direct buffer that is written), and inbound records are opened into one
 * pooled heap buffer per read, all its whole records. The cipher runs on arrays: on JDK 17 AES-GCM is about 1.7
 * times as fast on them as on direct buffers, more than the copies cost. A record that fails, or a stream that ends inside one,
 * closes the channel, counted as {@link ConnectionDrop#BAD_RECORD}.
 */
final class RecordCodec extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(RecordCodec.class);
    /** Plaintext per record: the largest a record holds; one cipher call each (see the README's measurement). */
    static final int RECORD_PLAINTEXT = RecordLayer.MAX_PLAINTEXT;

    private final RecordLayer records;
    private final ConnectionDrops drops;
    /** One record's plaintext and one sealed record, reused: the cipher runs on heap arrays. */
    private final byte[] plainBytes = new byte[RECORD_PLAINTEXT];
    private final byte[] sealedBytes = new byte[RecordLayer.sealedSize(RECORD_PLAINTEXT)];
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
            int at = plain.readerIndex();
            int end = at + length;
            do {
                int n = Math.min(RECORD_PLAINTEXT, end - at);
                if (plain.hasArray()) {
                    seal(plain.array(), plain.arrayOffset() + at, n, out);
                } else {
                    plain.getBytes(at, plainBytes, 0, n);
                    seal(plainBytes, 0, n, out);
                }
                at += n;
            } while (at < end);
            return out;
        } finally {
            plain.release();
        }
    }

    private ByteBuf sealed(ChannelHandlerContext ctx, FileSpanRegion region) throws IOException {
        long count = region.count();
        if (count > Integer.MAX_VALUE / 2) {
            throw new IOException("span of " + count + " bytes is larger than any chunk");
        }
        ByteBuf out = ctx.alloc().directBuffer(sealedSize((int) count));
        try {
            long at = region.position();
            long end = at + count;
            while (at < end) {
                ByteBuffer target = ByteBuffer.wrap(plainBytes, 0, (int) Math.min(RECORD_PLAINTEXT, end - at));
                while (target.hasRemaining()) {
                    if (region.file().read(target, at + target.position()) < 0) {
                        throw new EOFException("file ended inside a chunk's span");
                    }
                }
                seal(plainBytes, 0, target.position(), out);
                at += target.position();
            }
            return out;
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private void seal(byte[] plain, int offset, int length, ByteBuf out) {
        try {
            int written = records.seal(plain, offset, length, sealedBytes, 0);
            out.writeBytes(sealedBytes, 0, written);
        } catch (NoiseException e) {
            throw new IllegalStateException("sealing fails only when 2^64 records went one way", e);
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
        int records = 0;
        int plaintext = 0;
        for (int at = cumulation.readerIndex(); cumulation.writerIndex() - at >= RecordLayer.HEADER_BYTES; records++) {
            int sealed = cumulation.getUnsignedShort(at);
            if (sealed < CipherState.TAG_BYTES) {
                fail(ctx, "record of " + sealed + " bytes has no room for its tag");
                return;
            }
            if (cumulation.writerIndex() - at < RecordLayer.HEADER_BYTES + sealed) {
                break;
            }
            plaintext += sealed - CipherState.TAG_BYTES;
            at += RecordLayer.HEADER_BYTES + sealed;
        }
        if (records == 0) {
            return;
        }
        // all whole records of this read into one buffer, opened straight into its array
        ByteBuf plain = ctx.alloc().heapBuffer(plaintext);
        try {
            for (int i = 0; i < records; i++) {
                int sealed = cumulation.readUnsignedShort();
                cumulation.readBytes(sealedBytes, 0, sealed);
                int n = this.records.open(sealedBytes, 0, sealed, plain.array(), plain.arrayOffset() + plain.writerIndex());
                plain.writerIndex(plain.writerIndex() + n);
            }
        } catch (NoiseException e) {
            plain.release();
            fail(ctx, e.getMessage());
            return;
        }
        if (!cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        }
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
