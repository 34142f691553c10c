package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.SealedBytes;
import dev.kadshare.transfer.link.noise.NoiseException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The outbound half of a link's records. Every buffer and chunk span written to the channel waits here, in order, and
 * is sealed into records (at most {@link RecordCodec#RECORD_PLAINTEXT} bytes each, one pooled direct buffer and one
 * write per record) only as the socket takes them: at most {@link #SEAL_AHEAD} bytes sealed and not yet taken per link,
 * each record past the first only with room in the node's {@link SealedBytes}. Sealing a whole chunk when it was
 * written let every peer that asks and reads slowly hold a chunk or two of sealed records; a few dozen filled the
 * daemon's direct memory. What waits here counts towards the channel's writability (a user-defined bit against the
 * channel's own water marks), so a hub hands a connection chunks only as it drains, as when the records waited in the
 * channel. Confined to the channel's event loop, but for {@link #queuedBytes}.
 */
final class RecordWriter {
    /**
     * Bytes sealed ahead of the socket per link: eight records. The kernel's socket buffer keeps the link busy; this
     * only covers the turn of the event loop between the socket taking records and the next being sealed.
     */
    static final int SEAL_AHEAD = 8 * RecordLayer.sealedSize(RecordLayer.MAX_PLAINTEXT);
    /**
     * The channel's user-defined writability bit that says what waits here: not 1 to 3, which Netty's traffic shaping
     * handlers take by default.
     */
    private static final int WRITABILITY_BIT = 5;

    /** A message written and not yet sealed whole, and the promise of its write. */
    private record Pending(Object message, ChannelPromise promise) {
    }

    private final ChannelHandlerContext ctx;
    private final RecordLayer records;
    private final SealedBytes budget;
    /** One record's plaintext and one sealed record, reused: the cipher runs on heap arrays. */
    private final byte[] plainBytes = new byte[RecordCodec.RECORD_PLAINTEXT];
    private final byte[] sealedBytes = new byte[RecordLayer.sealedSize(RecordCodec.RECORD_PLAINTEXT)];
    private final Queue<Pending> queue = new ArrayDeque<>();
    /** The reader of the head's file span, while it is being read. */
    private Optional<SpanReader> span = Optional.empty();
    /** Plaintext bytes waiting here, not yet sealed. */
    private volatile long queuedBytes;
    /** Bytes of records written and not yet taken by the socket. */
    private int sealedAhead;
    /** Refused room by the budget, and told when there is some. */
    private boolean waitingForRoom;
    /** What the budget runs when it has room for this link again: one instance, to withdraw it. */
    private final Runnable roomGiven = this::resumeWithRoom;
    private boolean resumePosted;
    private boolean heldBack;
    private boolean discarded;

    RecordWriter(ChannelHandlerContext ctx, RecordLayer records, SealedBytes budget) {
        this.ctx = ctx;
        this.records = records;
        this.budget = budget;
    }

    /** Queues {@code message} (a buffer, a chunk span, or anything else to pass on in its turn) to be sealed. */
    void add(Object message, ChannelPromise promise) {
        if (discarded) {
            ReferenceCountUtil.release(message);
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        queue.add(new Pending(message, promise));
        queuedBytes += plaintextOf(message);
        updateWritability();
    }

    /** Seals and writes what the link may have ahead of its socket now; the caller flushes. */
    void sealAndWrite() {
        Pending head;
        while (!discarded && ctx.channel().isActive() && (head = queue.peek()) != null) {
            long left = leftOf(head.message());
            if (left == 0) {
                // Nothing to seal (an empty buffer, say, whose promise closes the channel): it goes in its turn.
                queue.poll();
                ctx.write(head.message(), head.promise());
                continue;
            }
            int n = (int) Math.min(RecordCodec.RECORD_PLAINTEXT, left);
            int size = RecordLayer.sealedSize(n);
            // A link's first record ahead takes no room: every link moves, whoever holds the room.
            boolean free = sealedAhead == 0;
            if (!free && (sealedAhead >= SEAL_AHEAD || waitingForRoom)) {
                break;
            }
            // The buffer before the room and the seal: a refused allocation takes neither, and uses no nonce.
            ByteBuf record;
            try {
                record = ctx.alloc().directBuffer(size);
            } catch (RuntimeException | OutOfMemoryError e) {
                failHead(head, e);
                return;
            }
            if (!free && budget.takeOrWait(size, roomGiven) == SealedBytes.Take.WAITING) {
                record.release();
                waitingForRoom = true;
                break;
            }
            try {
                long turn = Math.max(n, Math.min(left, SEAL_AHEAD - sealedAhead));
                record.writeBytes(sealedBytes, 0, seal(head.message(), n, turn));
            } catch (IOException | RuntimeException e) {
                record.release();
                if (!free) {
                    budget.give(size);
                }
                failHead(head, e);
                return;
            }
            sealedAhead += size;
            queuedBytes -= n;
            boolean last = n == left;
            if (last) {
                queue.poll();
                finishHead(head);
            }
            Optional<ChannelPromise> whole = last ? Optional.of(head.promise()) : Optional.empty();
            ChannelPromise taken = ctx.newPromise();
            taken.addListener(f -> written(size, free, whole, f));
            ctx.write(record, taken);
        }
        updateWritability();
    }

    /**
     * The head could not be sealed (its file failed, or memory ran out): it fails, and the channel closes, as the
     * record stream (a frame cut short, or a nonce spent on no record) cannot go on.
     */
    private void failHead(Pending head, Throwable cause) {
        queue.poll();
        queuedBytes -= leftOf(head.message());
        finishHead(head);
        head.promise().tryFailure(cause);
        ctx.close();
    }

    /** Plaintext bytes waiting to be sealed; from any thread. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** The channel closed: nothing waiting here will be written, and it waits for no room. */
    void discard(Throwable cause) {
        discarded = true;
        if (waitingForRoom) {
            budget.cancel(roomGiven);
        }
        Pending pending;
        while ((pending = queue.poll()) != null) {
            finishHead(pending);
            pending.promise().tryFailure(cause);
        }
        queuedBytes = 0;
    }

    /** Seals the head's next {@code n} bytes into {@link #sealedBytes}, of a span read {@code turn} bytes at a time. */
    private int seal(Object message, int n, long turn) throws IOException {
        try {
            if (message instanceof ByteBuf buf) {
                int at = buf.readerIndex();
                int sealed = buf.hasArray()
                        ? records.seal(buf.array(), buf.arrayOffset() + at, n, sealedBytes, 0)
                        : records.seal(plainOf(buf, at, n), 0, n, sealedBytes, 0);
                buf.readerIndex(at + n);
                return sealed;
            }
            ServedSpan served = (ServedSpan) message;
            if (span.isEmpty()) {
                if (served.count() > Integer.MAX_VALUE / 2) {
                    throw new IOException("span of " + served.count() + " bytes is larger than any chunk");
                }
                span = Optional.of(SpanReader.of(served)); // its file opened now, not while it waited
            }
            span.get().next(plainBytes, n, turn);
            return records.seal(plainBytes, 0, n, sealedBytes, 0);
        } catch (NoiseException e) {
            throw new IllegalStateException("sealing fails only when 2^64 records went one way", e);
        }
    }

    private byte[] plainOf(ByteBuf buf, int at, int n) {
        buf.getBytes(at, plainBytes, 0, n);
        return plainBytes;
    }

    /** A record the socket took, or that failed with the channel: its room goes back, and the link may seal on. */
    private void written(int size, boolean free, Optional<ChannelPromise> last, Future<? super Void> result) {
        sealedAhead -= size;
        if (!free) {
            budget.give(size);
        }
        last.ifPresent(p -> {
            if (result.isSuccess()) {
                p.trySuccess();
            } else {
                p.tryFailure(result.cause());
            }
        });
        if (!resumePosted && !queue.isEmpty() && sealedAhead <= SEAL_AHEAD / 2) {
            postResume();
        }
        updateWritability();
    }

    /** The budget has room again: from whichever thread gave it back. */
    private void resumeWithRoom() {
        onLoop(() -> {
            waitingForRoom = false;
            resume();
        });
    }

    private void postResume() {
        resumePosted = onLoop(() -> {
            resumePosted = false;
            resume();
        });
    }

    /** Runs {@code task} on the channel's loop, later; false if the loop is shutting down, and the channel with it. */
    private boolean onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    private void resume() {
        if (!discarded && ctx.channel().isActive()) {
            sealAndWrite();
            ctx.flush();
        }
    }

    /** Releases the head's message, and closes its span's reader (and so its file), once sealed whole or failed. */
    private void finishHead(Pending head) {
        if (head.message() instanceof ServedSpan && span.isPresent()) {
            try {
                span.get().close();
            } catch (IOException e) {
                // A file only read: nothing of ours is lost when its close fails.
            }
            span = Optional.empty();
        }
        ReferenceCountUtil.release(head.message());
    }

    /** Plaintext bytes still to seal of the head message. */
    private long leftOf(Object message) {
        if (message instanceof ServedSpan served) {
            return span.isPresent() ? span.get().left() : served.count();
        }
        return message instanceof ByteBuf buf ? buf.readableBytes() : 0;
    }

    private static long plaintextOf(Object message) {
        if (message instanceof ServedSpan served) {
            return served.count();
        }
        return message instanceof ByteBuf buf ? buf.readableBytes() : 0;
    }

    /** Unwritable past the channel's high water mark of what waits here and is sealed ahead, writable below its low. */
    private void updateWritability() {
        ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
        if (outbound == null) {
            return;
        }
        WriteBufferWaterMark marks = ctx.channel().config().getWriteBufferWaterMark();
        long waiting = queuedBytes + sealedAhead;
        if (!heldBack && waiting > marks.high()) {
            heldBack = true;
            outbound.setUserDefinedWritability(WRITABILITY_BIT, false);
        } else if (heldBack && waiting < marks.low()) {
            heldBack = false;
            outbound.setUserDefinedWritability(WRITABILITY_BIT, true);
        }
    }
}
