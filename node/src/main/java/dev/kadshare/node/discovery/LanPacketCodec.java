package dev.kadshare.node.discovery;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bytes of a {@link LanPacket} (docs/PROTOCOL.md, "LAN discovery"): magic {@code KSLD}, version 1, kind, cookie,
 * node id, port, count, content ids; big-endian, nothing after the last id. Decoding never throws: a datagram is a
 * packet or a {@link Decoding.Rejected} with the reason it is counted under.
 */
public final class LanPacketCodec {
    static final int MAGIC = 0x4B534C44; // "KSLD"
    static final int VERSION = 1;
    /** Magic, version, kind, cookie, node id, port, count. */
    static final int HEADER_BYTES = 4 + 1 + 1 + 8 + NodeId.BYTES + 2 + 1;
    /** The largest packet: {@value} bytes. */
    public static final int MAX_BYTES = HEADER_BYTES + LanPacket.MAX_CONTENT_IDS * ContentId.LENGTH;

    private LanPacketCodec() {
    }

    /** Why a datagram is not a packet. */
    public enum Reject {
        TOO_SHORT, TOO_LONG, BAD_MAGIC, BAD_VERSION, BAD_KIND, BAD_PORT, TOO_MANY_IDS, BAD_LENGTH, REPEATED_ID
    }

    /** A packet, or the reason a datagram is none. */
    public sealed interface Decoding {
        /** A well-formed packet. */
        record Ok(LanPacket packet) implements Decoding {}

        /** Not a packet: dropped and counted under {@code reason}. */
        record Rejected(Reject reason) implements Decoding {}
    }

    public static byte[] encode(LanPacket packet) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + packet.fetching().size() * ContentId.LENGTH);
        out.putInt(MAGIC).put((byte) VERSION).put((byte) packet.kind().code).putLong(packet.cookie())
                .put(packet.nodeId().bytes()).putShort((short) packet.port()).put((byte) packet.fetching().size());
        packet.fetching().forEach(id -> out.put(id.bytes()));
        return out.array();
    }

    public static Decoding decode(byte[] data) {
        if (data.length < HEADER_BYTES) {
            return new Decoding.Rejected(data.length >= 4 && ByteBuffer.wrap(data).getInt() != MAGIC
                    ? Reject.BAD_MAGIC : Reject.TOO_SHORT);
        }
        if (data.length > MAX_BYTES) {
            return new Decoding.Rejected(Reject.TOO_LONG);
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        if (in.getInt() != MAGIC) {
            return new Decoding.Rejected(Reject.BAD_MAGIC);
        }
        if (in.get() != VERSION) {
            return new Decoding.Rejected(Reject.BAD_VERSION);
        }
        int code = in.get();
        LanPacket.Kind kind = null;
        for (LanPacket.Kind k : LanPacket.Kind.values()) {
            if (k.code == code) {
                kind = k;
            }
        }
        if (kind == null) {
            return new Decoding.Rejected(Reject.BAD_KIND);
        }
        long cookie = in.getLong();
        byte[] id = new byte[NodeId.BYTES];
        in.get(id);
        int port = in.getShort() & 0xFFFF;
        if (port == 0) {
            return new Decoding.Rejected(Reject.BAD_PORT);
        }
        int count = in.get() & 0xFF;
        if (count > LanPacket.MAX_CONTENT_IDS) {
            return new Decoding.Rejected(Reject.TOO_MANY_IDS);
        }
        if (in.remaining() != count * ContentId.LENGTH) {
            return new Decoding.Rejected(Reject.BAD_LENGTH);
        }
        List<ContentId> fetching = new ArrayList<>(count);
        Set<ContentId> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            byte[] contentId = new byte[ContentId.LENGTH];
            in.get(contentId);
            ContentId parsed = ContentId.of(contentId);
            if (!seen.add(parsed)) {
                return new Decoding.Rejected(Reject.REPEATED_ID);
            }
            fetching.add(parsed);
        }
        return new Decoding.Ok(new LanPacket(kind, cookie, NodeId.of(id), port, fetching));
    }
}
