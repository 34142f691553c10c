package dev.kadshare.transfer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A chunk frame as received, its body a retained slice of the inbound buffer (no copy). Whoever takes
 * it from the pipeline owns one reference and must release it.
 */
public final class ReceivedChunk extends DefaultByteBufHolder {
    private final int index;

    public ReceivedChunk(int index, ByteBuf body) {
        super(body);
        this.index = index;
    }

    public int index() {
        return index;
    }
}
