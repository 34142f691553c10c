package dev.kadshare.dht.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * Kryo serializer for one message record: the shared header (txId, sender) then the record's own body. A
 * response's body starts with the address it observed the request coming from ({@link #response}).
 */
final class MessageSerializer<T extends Message> extends Serializer<T> {
    /** Reads the body of a message whose header has already been read. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(long txId, NodeId sender, Input in);
    }

    /** Reads the rest of a response's body, after its observed address. */
    @FunctionalInterface
    interface ResponseReader<T> {
        T read(long txId, NodeId sender, InetSocketAddress observed, Input in);
    }

    /** Builds a message that has no body. */
    @FunctionalInterface
    interface HeaderReader<T> {
        T read(long txId, NodeId sender);
    }

    /** Builds a response that has nothing but its observed address after the header. */
    @FunctionalInterface
    interface ObservedReader<T> {
        T read(long txId, NodeId sender, InetSocketAddress observed);
    }

    private final BiConsumer<Output, T> bodyWriter;
    private final BodyReader<T> bodyReader;

    MessageSerializer(BiConsumer<Output, T> bodyWriter, BodyReader<T> bodyReader) {
        super(false, true);
        this.bodyWriter = bodyWriter;
        this.bodyReader = bodyReader;
    }

    /** For requests that are only a header. */
    static <T extends Request> MessageSerializer<T> headerOnly(HeaderReader<T> reader) {
        return new MessageSerializer<>((out, m) -> { }, (txId, sender, in) -> reader.read(txId, sender));
    }

    /** For a response: its observed address, then the rest of its body. */
    static <T extends Response> MessageSerializer<T> response(BiConsumer<Output, T> restWriter, ResponseReader<T> reader) {
        return new MessageSerializer<>(
                (out, m) -> {
                    Fields.writeAddress(out, m.observed());
                    restWriter.accept(out, m);
                },
                (txId, sender, in) -> reader.read(txId, sender, Fields.readAddress(in), in));
    }

    /** For responses that are a header and the observed address only. */
    static <T extends Response> MessageSerializer<T> observedOnly(ObservedReader<T> reader) {
        return response((out, m) -> { }, (txId, sender, observed, in) -> reader.read(txId, sender, observed));
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
