package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.download.ChunkBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.nio.ByteBuffer;

/**
 * A chunk frame as received, its body a retained slice of the inbound buffer (no copy). Whoever takes
 * it from the pipeline owns one reference and must release it ({@link #free()} does).
 */
public final class ReceivedChunk extends DefaultByteBufHolder implements ChunkBody {
    private final int index;

    public ReceivedChunk(int index, ByteBuf body) {
        super(body);
        this.index = index;
    }

    public int index() {
        return index;
    }

    @Override
    public int length() {
        return content().readableBytes();
    }

    @Override
    public ByteBuffer data() {
        return content().nioBuffer();
    }

    @Override
    public void free() {
        release();
    }
}
