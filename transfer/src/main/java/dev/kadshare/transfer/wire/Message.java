package dev.kadshare.transfer.wire;

import dev.kadshare.transfer.content.ContentId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/** Everything two transfer peers say to each other. */
public sealed interface Message {
    /** Longest REJECT or GOODBYE reason, in UTF-8 bytes; a longer one is cut when the message is made. */
    int MAX_REASON_BYTES = 1024;

    /** Messages encoded with Kryo in a CONTROL frame. */
    sealed interface Control extends Message {
    }

    /**
     * First message each way: protocol version, which content this connection is about, and (from a client) the TCP
     * port its own node serves on, 0 if none: the server tells its other peers of that content about it
     * ({@link Peers}). Who is speaking is not said here: the link's handshake proved it (protocol 5).
     */
    record Hello(int protocolVersion, ContentId contentId, int listenPort) implements Control {
        public Hello {
            Objects.requireNonNull(contentId, "contentId");
            if (listenPort < 0 || listenPort > 0xFFFF) {
                throw new IllegalArgumentException("listen port " + listenPort);
            }
        }

        /** A HELLO that names no listening port (a server's, or a client that does not serve). */
        public Hello(int protocolVersion, ContentId contentId) {
            this(protocolVersion, contentId, 0);
        }
    }

    /**
     * Peer exchange, server to client: where other peers of this content serve it (their IP as the server sees
     * it, the port from their HELLO). Sent after the BITFIELD and whenever another peer joins. Packed as, per
     * peer, u8 address length (4 or 16), the address, u16 port; at most {@link #MAX} peers.
     */
    record Peers(byte[] packed) implements Control {
        public static final int MAX = 50;

        public Peers {
            Objects.requireNonNull(packed, "packed");
            decode(packed); // malformed bytes never make a message
        }

        public static Peers of(java.util.Collection<java.net.InetSocketAddress> peers) {
            if (peers.size() > MAX) {
                throw new IllegalArgumentException(peers.size() + " peers, at most " + MAX);
            }
            ByteBuffer out = ByteBuffer.allocate(peers.size() * 19);
            for (java.net.InetSocketAddress peer : peers) {
                byte[] ip = peer.getAddress().getAddress();
                out.put((byte) ip.length).put(ip).putShort((short) peer.getPort());
            }
            return new Peers(Arrays.copyOf(out.array(), out.position()));
        }

        public java.util.List<java.net.InetSocketAddress> addresses() {
            return decode(packed);
        }

        private static java.util.List<java.net.InetSocketAddress> decode(byte[] packed) {
            ByteBuffer in = ByteBuffer.wrap(packed);
            java.util.List<java.net.InetSocketAddress> out = new java.util.ArrayList<>();
            while (in.hasRemaining()) {
                int length = in.get();
                if ((length != 4 && length != 16) || in.remaining() < length + 2 || out.size() == MAX) {
                    throw new IllegalArgumentException("malformed PEERS at byte " + (in.position() - 1));
                }
                byte[] ip = new byte[length];
                in.get(ip);
                int port = Short.toUnsignedInt(in.getShort());
                try {
                    out.add(new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(ip), port));
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalArgumentException(e); // cannot happen for 4 or 16 bytes
                }
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Peers other && Arrays.equals(packed, other.packed);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(packed);
        }

        @Override
        public String toString() {
            return "Peers" + addresses();
        }
    }

    /** Asks for the canonical manifest bytes of the content named in HELLO. */
    record ManifestRequest() implements Control {
    }

    /** The canonical manifest bytes; the receiver checks their SHA-256 against the content id. */
    record ManifestData(byte[] canonicalBytes) implements Control {
        public ManifestData {
            Objects.requireNonNull(canonicalBytes, "canonicalBytes");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ManifestData other && Arrays.equals(canonicalBytes, other.canonicalBytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(canonicalBytes);
        }

        @Override
        public String toString() {
            return "ManifestData[" + canonicalBytes.length + " bytes]";
        }
    }

    /**
     * Which chunks the sender holds, bit i (little-endian, as {@link BitSet#toByteArray}) for chunk i. Sent
     * by a server right after its HELLO; a seeder's has every bit set.
     */
    record Bitfield(byte[] bits) implements Control {
        public Bitfield {
            Objects.requireNonNull(bits, "bits");
        }

        public static Bitfield of(BitSet has) {
            return new Bitfield(has.toByteArray());
        }

        public BitSet toBitSet() {
            return BitSet.valueOf(bits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + toBitSet().cardinality() + " chunks]";
        }
    }

    /** The sender has verified one more chunk since its BITFIELD. */
    record Have(int index) implements Control {
    }

    /** The sender no longer wants a chunk it requested; the chunk may still arrive if it was on its way. */
    record Cancel(int index) implements Control {
    }

    /**
     * The server will not serve this connection for now (its upload slots are taken); it drops the queued
     * requests, rejects new ones, and sends UNCHOKE when a slot frees up.
     */
    record Choke() implements Control {
    }

    /** The server serves this connection again. */
    record Unchoke() implements Control {
    }

    /** Asks for one chunk. */
    record Request(int index) implements Control {
    }

    /** The sender will not serve this chunk; the reason is for logs, cut to {@link #MAX_REASON_BYTES}. */
    record Reject(int index, String reason) implements Control {
        public Reject {
            reason = Fields.fitText(Objects.requireNonNull(reason, "reason"), MAX_REASON_BYTES);
        }
    }

    /**
     * The sender ends the session (unknown content, wrong version) and closes the connection; the reason is for
     * logs, cut to {@link #MAX_REASON_BYTES}.
     */
    record Goodbye(String reason) implements Control {
        public Goodbye {
            reason = Fields.fitText(Objects.requireNonNull(reason, "reason"), MAX_REASON_BYTES);
        }
    }

    /** One chunk's bytes; travels raw after a small header, never through Kryo. */
    record Chunk(int index, ByteBuffer body) implements Message {
        public Chunk {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public String toString() {
            return "Chunk[" + index + ", " + body.remaining() + " bytes]";
        }
    }
}
