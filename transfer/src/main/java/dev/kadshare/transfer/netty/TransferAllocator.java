package dev.kadshare.transfer.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffer allocator of every transfer connection (served, dialled, punched, relayed): Netty's pooled one. A link
 * seals each 64 KiB record into a buffer of its own, thousands a second; with Netty 4.2's default adaptive allocator a
 * serving connection spent 4-5 CPU-seconds per GiB in some downloads (against 1.2-1.5 in others, buffers' memory
 * allocated and freed again), with the pooled one a steady 1.3-1.9 (the transfer benchmark, one seeder).
 */
public final class TransferAllocator {
    public static final ByteBufAllocator INSTANCE = PooledByteBufAllocator.DEFAULT;

    private TransferAllocator() {
    }
}
