package dev.kadshare.dht.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kadshare.dht.id.NodeId;
import java.util.function.BiConsumer;

/** Kryo serializer for one message record: the shared header (txId, sender) then the record's own body. */
final class MessageSerializer<T extends Message> extends Serializer<T> {
    /** Reads the body of a message whose header has already been read. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(long txId, NodeId sender, Input in);
    }

    private final BiConsumer<Output, T> bodyWriter;
    private final BodyReader<T> bodyReader;

    MessageSerializer(BiConsumer<Output, T> bodyWriter, BodyReader<T> bodyReader) {
        super(false, true);
        this.bodyWriter = bodyWriter;
        this.bodyReader = bodyReader;
    }

    /** For messages that are only a header. */
    static <T extends Message> MessageSerializer<T> headerOnly(HeaderReader<T> reader) {
        return new MessageSerializer<>((out, m) -> { }, (txId, sender, in) -> reader.read(txId, sender));
    }

    /** Builds a message that has no body. */
    @FunctionalInterface
    interface HeaderReader<T> {
        T read(long txId, NodeId sender);
    }

    @Override
    public void write(Kryo kryo, Output output, T message) {
        output.writeLong(message.txId());
        Fields.writeNodeId(output, message.sender());
        bodyWriter.accept(output, message);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        long txId = input.readLong();
        NodeId sender = Fields.readNodeId(input);
        return bodyReader.read(txId, sender, input);
    }
}
