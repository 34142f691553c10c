package dev.kadshare.simulation.swarm;

import dev.kadshare.transfer.download.ChunkBody;
import java.nio.ByteBuffer;

/** A received chunk as the simulation models it: a length and no bytes (the {@link ModelledDisk} never reads them). */
record ModelledChunk(int length) implements ChunkBody {
    @Override
    public ByteBuffer data() {
        throw new UnsupportedOperationException("a modelled chunk carries no bytes");
    }

    @Override
    public void free() {
        // no memory behind it
    }
}
