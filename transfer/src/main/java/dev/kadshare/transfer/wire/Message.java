package dev.kadshare.transfer.wire;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/** Everything two transfer peers say to each other. */
public sealed interface Message {

    /** Messages encoded with Kryo in a CONTROL frame. */
    sealed interface Control extends Message {
    }

    /** First message each way: protocol version, who is speaking, and which content this connection is about. */
    record Hello(int protocolVersion, PeerId nodeId, ContentId contentId) implements Control {
        public Hello {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(contentId, "contentId");
        }

        /** A HELLO from a sender that does not give its node id. */
        public Hello(int protocolVersion, ContentId contentId) {
            this(protocolVersion, PeerId.UNKNOWN, contentId);
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

    /** The sender will not serve this chunk. */
    record Reject(int index, String reason) implements Control {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The sender ends the session (unknown content, wrong version) and closes the connection. */
    record Goodbye(String reason) implements Control {
        public Goodbye {
            Objects.requireNonNull(reason, "reason");
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
