package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.wire.Message;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The control messages of one serving connection (HELLO, BITFIELD, HAVE, PEERS, CHOKE, UNCHOKE, REJECT, the
 * manifest), written only while the channel is writable and otherwise kept back, in order, until it is again; and
 * the bytes of them queued at the server, written and not yet taken by the socket or kept back, bounded by a budget.
 * Chunks do not pass here: the hub hands one out only while the channel is writable. Confined to the channel's loop.
 */
final class ControlWrites {
    /** Framing and field overhead allowed on top of a message's variable part: a length, a type, a varint or two. */
    private static final int FRAME_OVERHEAD = 16;

    /** Whether a message was taken. */
    enum Offer { QUEUED, OVER_BUDGET }

    private final ChannelHandlerContext ctx;
    private long budget;
    private final Queue<Message> keptBack = new ArrayDeque<>();
    /** Estimated frame bytes of every control message written and not yet sent, or kept back. */
    private long queued;
    private volatile long keptBackBytes;

    ControlWrites(ChannelHandlerContext ctx, long budget) {
        this.ctx = ctx;
        this.budget = budget;
    }

    /**
     * Room for at least two frames of {@code bytes}: a content whose manifest is larger than half the budget must
     * still be able to answer one manifest request with other messages queued.
     */
    void atLeastTwice(long bytes) {
        budget = Math.max(budget, 2 * (bytes + FRAME_OVERHEAD));
    }

    /**
     * Writes {@code message} (without flushing) if the channel is writable and nothing is kept back, else keeps it
     * back; {@link Offer#OVER_BUDGET}, and nothing queued, if it would take the bytes queued past the budget.
     */
    Offer offer(Message message) {
        long size = frameBytes(message);
        if (queued + size > budget) {
            return Offer.OVER_BUDGET;
        }
        queued += size;
        if (keptBack.isEmpty() && ctx.channel().isWritable()) {
            write(message, size);
        } else {
            keptBack.add(message);
            keptBackBytes += size;
        }
        return Offer.QUEUED;
    }

    /** Writes what was kept back while the channel stays writable, and flushes; on a writability change. */
    void drain() {
        boolean wrote = false;
        while (!keptBack.isEmpty() && ctx.channel().isWritable()) {
            Message message = keptBack.poll();
            long size = frameBytes(message);
            keptBackBytes -= size;
            write(message, size);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** The channel closed: what was kept back will never be written. */
    void discard() {
        keptBack.clear();
        keptBackBytes = 0;
    }

    /** Bytes kept back, not yet written to the channel; from any thread. */
    long keptBackBytes() {
        return keptBackBytes;
    }

    private void write(Message message, long size) {
        // Sent, or failed because the channel closed: either way no longer queued here.
        ctx.write(message).addListener(f -> queued -= size);
    }

    /** An upper bound on the frame of {@code message}, from the sizes of its variable fields. */
    static long frameBytes(Message message) {
        if (message instanceof Message.ManifestData m) {
            return FRAME_OVERHEAD + m.canonicalBytes().length;
        }
        if (message instanceof Message.Bitfield b) {
            return FRAME_OVERHEAD + b.bits().length;
        }
        if (message instanceof Message.Peers p) {
            return FRAME_OVERHEAD + p.packed().length;
        }
        if (message instanceof Message.Reject r) {
            return FRAME_OVERHEAD + Math.min(3L * r.reason().length(), Message.MAX_REASON_BYTES);
        }
        if (message instanceof Message.Goodbye g) {
            return FRAME_OVERHEAD + Math.min(3L * g.reason().length(), Message.MAX_REASON_BYTES);
        }
        if (message instanceof Message.Hello) {
            return FRAME_OVERHEAD + 2 * 32 + 8; // two ids, a version and a port
        }
        return FRAME_OVERHEAD; // HAVE, CHOKE, UNCHOKE: a type and at most an index
    }
}
