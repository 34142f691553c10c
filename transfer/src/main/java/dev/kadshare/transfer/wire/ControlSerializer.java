package dev.kadshare.transfer.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/** Kryo serializer for one control message: its fields in the order docs/PROTOCOL.md gives, written by hand. */
final class ControlSerializer<T extends Message.Control> extends Serializer<T> {
    private final BiConsumer<Output, T> writer;
    private final Function<Input, T> reader;

    ControlSerializer(BiConsumer<Output, T> writer, Function<Input, T> reader) {
        super(false, true);
        this.writer = writer;
        this.reader = reader;
    }

    /** For a message without fields: its type byte says everything. */
    static <T extends Message.Control> ControlSerializer<T> empty(Supplier<T> message) {
        return new ControlSerializer<>((out, m) -> { }, in -> message.get());
    }

    /** For a message that is one chunk index. */
    static <T extends Message.Control> ControlSerializer<T> index(ToIntFunction<T> index, IntFunction<T> message) {
        return new ControlSerializer<>((out, m) -> Fields.writeInt(out, index.applyAsInt(m)),
                in -> message.apply(Fields.readInt(in)));
    }

    /** For a message that is one {@code bytes} field of at most {@code max} bytes. */
    static <T extends Message.Control> ControlSerializer<T> bytes(Function<T, byte[]> bytes, int max,
            Function<byte[], T> message) {
        return new ControlSerializer<>((out, m) -> Fields.writeBytes(out, bytes.apply(m)),
                in -> message.apply(Fields.readBytes(in, max)));
    }

    @Override
    public void write(Kryo kryo, Output output, T message) {
        writer.accept(output, message);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        return reader.apply(input);
    }
}
