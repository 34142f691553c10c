package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.SealedBytes;
import dev.kadshare.transfer.link.noise.CipherState;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.link.noise.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's records on a channel, after its handshake: every outbound buffer and chunk span is sealed into records of at
 * most {@link #RECORD_PLAINTEXT} bytes as the socket takes them, by its {@link RecordWriter} (a span read from its file
 * into a reused array by a {@link SpanReader}, sealed into another, copied into a record-sized pooled direct buffer,
 * one write per record), and inbound records are opened into one pooled heap buffer per read, all its whole records:
 * each record is copied once, from the socket's buffer into a reused array (or opened where it lies when the read is a
 * heap buffer holding it whole), with no cumulation to merge reads into. The cipher runs on arrays: on JDK 17 AES-GCM
 * is about 1.7 times as fast on them as on direct buffers, more than the copies cost. A record that fails, or a stream
 * that ends inside one, closes the channel, counted as {@link ConnectionDrop#BAD_RECORD}.
 */
final class RecordCodec extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(RecordCodec.class);
    /** Plaintext per record: the largest a record holds; one cipher call each (see the README's measurement). */
    static final int RECORD_PLAINTEXT = RecordLayer.MAX_PLAINTEXT;

    private final RecordLayer records;
    private final ConnectionDrops drops;
    private final SealedBytes sealed;
    /** The outbound half, made when the codec joins its channel's pipeline (read from other threads for its count). */
    private volatile RecordWriter writer;
    /** The inbound record being gathered: its own array, as a record may span reads. */
    private final byte[] gatheredBytes = new byte[RecordLayer.sealedSize(RECORD_PLAINTEXT)];
    /** The record being read, which may span reads: how much of its header came, its sealed length, its bytes gathered. */
    private int headerBytes;
    private int sealedLength;
    private int gathered;
    private boolean failed;
    /** This side closed the channel: a record cut short then is not the peer's doing. */
    private boolean closedHere;

    RecordCodec(Transport transport, ConnectionDrops drops, SealedBytes sealed) {
        this.records = new RecordLayer(transport);
        this.drops = drops;
        this.sealed = sealed;
    }

    // ---- outbound ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        writer = new RecordWriter(ctx, records, sealed);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        writer.add(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writer.sealAndWrite();
        ctx.flush();
    }

    /** Plaintext bytes written to the link and not yet sealed; from any thread. */
    long queuedBytes() {
        RecordWriter w = writer;
        return w == null ? 0 : w.queuedBytes();
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
        // every whole record of this read, opened into one buffer: no record holds more plaintext than its sealed bytes
        int bound = in.readableBytes() + gathered;
        ByteBuf plain = null;
        try {
            while (in.isReadable()) {
                if (headerBytes < RecordLayer.HEADER_BYTES) {
                    sealedLength = sealedLength << 8 | in.readUnsignedByte();
                    if (++headerBytes == RecordLayer.HEADER_BYTES && sealedLength < CipherState.TAG_BYTES) {
                        if (plain != null) {
                            plain.release();
                        }
                        fail(ctx, "record of " + sealedLength + " bytes has no room for its tag");
                        return;
                    }
                    continue;
                }
                if (plain == null) {
                    plain = ctx.alloc().heapBuffer(bound);
                }
                if (gathered == 0 && in.hasArray() && in.readableBytes() >= sealedLength) {
                    // the whole record is in a heap read: opened where it lies
                    open(in.array(), in.arrayOffset() + in.readerIndex(), plain);
                    in.skipBytes(sealedLength);
                } else {
                    // the one copy the cipher needs (it runs on arrays); a record split across reads is gathered here
                    int n = Math.min(sealedLength - gathered, in.readableBytes());
                    in.readBytes(gatheredBytes, gathered, n);
                    gathered += n;
                    if (gathered < sealedLength) {
                        break;
                    }
                    open(gatheredBytes, 0, plain);
                }
                headerBytes = 0;
                sealedLength = 0;
                gathered = 0;
            }
        } catch (NoiseException e) {
            if (plain != null) {
                plain.release();
            }
            fail(ctx, e.getMessage());
            return;
        } finally {
            in.release();
        }
        if (plain != null && plain.isReadable()) {
            ctx.fireChannelRead(plain);
        } else if (plain != null) {
            plain.release();
        }
    }

    /** Opens the current record's {@link #sealedLength} bytes at {@code offset} of {@code sealed} onto the end of {@code plain}. */
    private void open(byte[] sealed, int offset, ByteBuf plain) throws NoiseException {
        int n = records.open(sealed, offset, sealedLength, plain.array(), plain.arrayOffset() + plain.writerIndex());
        plain.writerIndex(plain.writerIndex() + n);
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        failed = true;
        drops.record(ConnectionDrop.BAD_RECORD);
        log.warn("closing {}: bad record: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closedHere = true; // what was in flight from the peer is cut by us, not by it
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        writer.discard(new ClosedChannelException());
        if ((headerBytes > 0 || gathered > 0) && !failed && !closedHere) {
            drops.record(ConnectionDrop.BAD_RECORD);
            log.warn("{} closed inside a record", ctx.channel().remoteAddress());
        }
        ctx.fireChannelInactive();
    }
}
