package dev.kadshare.dht.wire;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Wire encodings of the field types messages share; every read is bounded and validated. */
final class Fields {
    private Fields() {
    }

    static void writeNodeId(Output out, NodeId id) {
        out.writeBytes(id.bytes());
    }

    static NodeId readNodeId(Input in) {
        return NodeId.of(in.readBytes(NodeId.BYTES));
    }

    /** Checks an address a message carries: present and a raw IP, never a name to resolve. */
    static InetSocketAddress requireResolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        return address;
    }

    /** A TCP or UDP port a node can be dialled at: 1..65535. */
    static int requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        return port;
    }

    /** Length-prefixed raw IP (4 or 16 bytes) and a 16-bit port; addresses are never resolved by name. */
    static void writeAddress(Output out, InetSocketAddress address) {
        byte[] ip = requireResolved(address).getAddress().getAddress();
        out.writeByte(ip.length);
        out.writeBytes(ip);
        out.writeShort(address.getPort());
    }

    static InetSocketAddress readAddress(Input in) {
        int length = in.readByte();
        if (length != 4 && length != 16) {
            throw new MalformedFieldException("ip length " + length);
        }
        byte[] ip = in.readBytes(length);
        int port = in.readShort() & 0xFFFF;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new MalformedFieldException("ip bytes");
        }
    }

    static void writeContact(Output out, Contact contact) {
        writeNodeId(out, contact.id());
        writeAddress(out, contact.address());
    }

    static Contact readContact(Input in) {
        return new Contact(readNodeId(in), readAddress(in));
    }

    /** A link key: {@code u8} length, 0 (none) or 32, then the key. */
    static void writeLinkKey(Output out, Optional<LinkKey> key) {
        byte[] bytes = key.map(LinkKey::bytes).orElse(new byte[0]);
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
    }

    static Optional<LinkKey> readLinkKey(Input in) {
        int length = in.readByte() & 0xFF;
        if (length != 0 && length != LinkKey.BYTES) {
            throw new MalformedFieldException("link key length " + length);
        }
        return length == 0 ? Optional.empty() : Optional.of(LinkKey.of(in.readBytes(length)));
    }

    /** A peer of a PEERS reply: its address, then its link key. */
    static void writePeer(Output out, AnnouncedPeer peer) {
        writeAddress(out, peer.address());
        writeLinkKey(out, peer.linkKey());
    }

    static AnnouncedPeer readPeer(Input in) {
        return AnnouncedPeer.of(readAddress(in), readLinkKey(in));
    }

    static void writeToken(Output out, WriteToken token) {
        out.writeByte(token.length());
        out.writeBytes(token.bytes());
    }

    static WriteToken readToken(Input in) {
        int length = in.readByte() & 0xFF;
        if (length == 0 || length > WriteToken.MAX_BYTES) {
            throw new MalformedFieldException("token length " + length);
        }
        return WriteToken.of(in.readBytes(length));
    }

    static void writeValue(Output out, RecordValue value) {
        out.writeVarInt(value.length(), true);
        out.writeBytes(value.bytes());
    }

    /** Checks the length before allocating, then the signed record's layout (its signature is the store's to check). */
    static RecordValue readValue(Input in) {
        int length = in.readVarInt(true);
        if (length < 1 || length > RecordValue.MAX_BYTES) {
            throw new MalformedFieldException("value length " + length);
        }
        return RecordValue.decode(in.readBytes(length))
                .orElseThrow(() -> new MalformedFieldException("value of " + length + " bytes is no signed record"));
    }

    static <T> void writeList(Output out, List<T> items, BiConsumer<Output, T> writer) {
        out.writeVarInt(items.size(), true);
        for (T item : items) {
            writer.accept(out, item);
        }
    }

    /** Checks the count before allocating, so a forged count cannot make us allocate much. */
    static <T> List<T> readList(Input in, int max, Function<Input, T> reader) {
        int count = in.readVarInt(true);
        if (count < 0 || count > max) {
            throw new MalformedFieldException("list of " + count + ", max " + max);
        }
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(reader.apply(in));
        }
        return items;
    }
}
