package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.KnownKeys;
import dev.kadshare.transfer.link.LinkIdentity;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.ContentPlace;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.ReadPath;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link's Netty handlers on embedded channels, bytes passed by hand: the handshake fires the proven id before
 * channel-active, records carry the stream, and a tampered, replayed or truncated record, a plaintext peer, a
 * wrong identity and a handshake past its deadline each close the channel with the reason counted.
 */
class LinkHandlersTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7000);
    private final ConnectionDrops clientDrops = new ConnectionDrops();
    private final ConnectionDrops serverDrops = new ConnectionDrops();
    private final LinkIdentity clientId = identity(1);
    private final LinkIdentity serverId = identity(2);
    private final KnownKeys known = new KnownKeys(16);
    private final Heard clientHeard = new Heard();
    private final Heard serverHeard = new Heard();

    /** What the handlers after the link saw (of every channel of its side). */
    @io.netty.channel.ChannelHandler.Sharable
    static final class Heard extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean active;
        boolean inactive;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive = true;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
    }

    private static LinkIdentity identity(int n) {
        byte[] seed = new byte[32];
        new SplittableRandom(n).nextBytes(seed);
        return LinkIdentity.fromSeed(seed);
    }

    private EmbeddedChannel client() {
        return client(Optional.empty());
    }

    private EmbeddedChannel client(Optional<Runnable> redialWithXx) {
        return new EmbeddedChannel(new LinkHandshakeHandler(
                new LinkSecurity.Encrypted(clientId, known, clientDrops, new SplittableRandom(3)), Optional.of(SERVER),
                redialWithXx, false), clientHeard);
    }

    /** The peer closes {@code channel}'s connection: inactive without a close from this side's pipeline. */
    private static void hangUp(EmbeddedChannel channel) {
        channel.unsafe().close(channel.voidPromise());
    }

    private EmbeddedChannel server() {
        return new EmbeddedChannel(new LinkHandshakeHandler(
                new LinkSecurity.Encrypted(serverId, new KnownKeys(16), serverDrops, new SplittableRandom(4)),
                Optional.empty(), Optional.empty(), false), serverHeard);
    }

    /** Moves every byte each side wrote to the other until neither writes (at most 10 turns). */
    private static void shuttle(EmbeddedChannel a, EmbeddedChannel b) {
        for (int turn = 0; turn < 10; turn++) {
            boolean toB = move(a, b);
            boolean toA = move(b, a);
            if (!toA && !toB) {
                return;
            }
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf out = from.readOutbound(); out != null; out = from.readOutbound()) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(out);
            } else {
                out.release();
            }
        }
        return moved;
    }

    private static byte[] outbound(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf = ch.readOutbound(); buf != null; buf = ch.readOutbound()) {
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    private EmbeddedChannel[] established() {
        EmbeddedChannel client = client();
        EmbeddedChannel server = server();
        shuttle(client, server);
        return new EmbeddedChannel[] {client, server};
    }

    @Test
    void theProvenIdComesBeforeActiveAndRecordsCarryTheStream() {
        EmbeddedChannel[] pair = established();
        assertEquals(List.of(new LinkEstablished(PeerId.of(serverId.nodeId()))), clientHeard.events);
        assertEquals(List.of(new LinkEstablished(PeerId.of(clientId.nodeId()))), serverHeard.events);
        assertTrue(clientHeard.active && serverHeard.active);
        assertEquals(PeerId.of(serverId.nodeId()), known.at(SERVER).orElseThrow().nodeId(), "remembered for IK");
        byte[] big = new byte[200_000];
        new SplittableRandom(9).nextBytes(big);
        pair[0].writeAndFlush(Unpooled.wrappedBuffer(big));
        byte[] wire = outbound(pair[0]);
        assertEquals(big.length + 4 * 18, wire.length, "four records: 3 full and the rest");
        assertFalse(Arrays.equals(Arrays.copyOfRange(wire, 2, 102), Arrays.copyOfRange(big, 0, 100)), "encrypted");
        // any split of the records arrives whole
        for (int at = 0; at < wire.length; at += 7001) {
            pair[1].writeInbound(Unpooled.wrappedBuffer(wire, at, Math.min(7001, wire.length - at)));
        }
        assertTrue(Arrays.equals(big, serverHeard.bytes.toByteArray()));
        assertTrue(pair[1].isOpen());
        assertEquals(0, serverDrops.count(ConnectionDrop.BAD_RECORD));
    }

    @Test
    void recordsSplitAnywhereInDirectReadsArriveWhole() {
        EmbeddedChannel[] pair = established();
        byte[] big = new byte[150_000];
        new SplittableRandom(11).nextBytes(big);
        pair[0].writeAndFlush(Unpooled.wrappedBuffer(big));
        pair[0].writeAndFlush(Unpooled.copiedBuffer("tail", StandardCharsets.US_ASCII));
        byte[] wire = outbound(pair[0]);
        // pieces of 1 to 70,000 bytes (headers cut in two, records gathered over many reads), as a socket's direct
        // buffers, and the receiver writing between them (a half-gathered record must not share the sender's array)
        SplittableRandom sizes = new SplittableRandom(12);
        int reads = 0;
        for (int at = 0; at < wire.length && reads < 10_000; reads++) {
            int n = Math.min(wire.length - at, reads % 3 == 0 ? 1 : 1 + sizes.nextInt(70_000));
            ByteBuf read = Unpooled.directBuffer(n).writeBytes(wire, at, n);
            pair[1].writeInbound(read);
            pair[1].writeAndFlush(Unpooled.copiedBuffer("REQUEST " + reads, StandardCharsets.US_ASCII));
            at += n;
        }
        byte[] expected = Arrays.copyOf(big, big.length + 4);
        System.arraycopy("tail".getBytes(StandardCharsets.US_ASCII), 0, expected, big.length, 4);
        assertTrue(Arrays.equals(expected, serverHeard.bytes.toByteArray()));
        assertTrue(pair[1].isOpen());
        pair[1].close();
        assertEquals(0, serverDrops.count(ConnectionDrop.BAD_RECORD), "no record left half read");
    }

    @Test
    void fileSpansGoOutAsRecordsAndArriveWhole(@TempDir Path dir) throws IOException {
        EmbeddedChannel[] pair = established();
        int full = RecordCodec.RECORD_PLAINTEXT;
        byte[] content = new byte[40 * full + 777];
        new SplittableRandom(13).nextBytes(content);
        Path file = dir.resolve("share.bin");
        Files.write(file, content);
        // whole records, whole records and a byte, the file (a partial record last), one byte, from an odd offset
        long[][] spans = {{0, 16L * full}, {0, 16L * full + 1}, {0, content.length}, {5, 1}, {3, 2L * full}};
        for (ReadPath reads : ReadPath.values()) {
            for (long[] span : spans) {
                int count = (int) span[1];
                int records = (count + full - 1) / full;
                serverHeard.bytes.reset();
                pair[0].writeAndFlush(new ServedSpan(ContentPlace.at(dir), dir, file, span[0], count, reads,
                        ContentStamps.NONE, () -> { }));
                List<ByteBuf> writes = new ArrayList<>();
                for (ByteBuf out = pair[0].readOutbound(); out != null; out = pair[0].readOutbound()) {
                    writes.add(out);
                }
                String what = reads + " span " + Arrays.toString(span);
                assertEquals(count + records * RecordLayer.sealedSize(0),
                        writes.stream().mapToInt(ByteBuf::readableBytes).sum(), what);
                writes.forEach(pair[1]::writeInbound);
                assertTrue(Arrays.equals(Arrays.copyOfRange(content, (int) span[0], (int) span[0] + count),
                        serverHeard.bytes.toByteArray()), what);
            }
        }
        assertTrue(pair[1].isOpen());
        assertEquals(0, serverDrops.count(ConnectionDrop.BAD_RECORD));
    }

    @Test
    void aTamperedRecordClosesTheLink() {
        EmbeddedChannel[] pair = established();
        byte[] record = sealed(pair[0], "chunk bytes");
        record[5] ^= 1;
        pair[1].writeInbound(Unpooled.wrappedBuffer(record));
        assertFalse(pair[1].isOpen());
        assertEquals(1, serverDrops.count(ConnectionDrop.BAD_RECORD));
        assertEquals(0, serverHeard.bytes.size());
    }

    @Test
    void aReplayedRecordClosesTheLink() {
        EmbeddedChannel[] pair = established();
        byte[] record = sealed(pair[0], "REQUEST 5");
        pair[1].writeInbound(Unpooled.wrappedBuffer(record));
        assertTrue(pair[1].isOpen());
        pair[1].writeInbound(Unpooled.wrappedBuffer(record));
        assertFalse(pair[1].isOpen());
        assertEquals(1, serverDrops.count(ConnectionDrop.BAD_RECORD));
        assertEquals("REQUEST 5", serverHeard.bytes.toString(StandardCharsets.US_ASCII), "delivered once");
    }

    @Test
    void recordsOutOfOrderCloseTheLink() {
        EmbeddedChannel[] pair = established();
        byte[] first = sealed(pair[0], "one");
        byte[] second = sealed(pair[0], "two");
        pair[1].writeInbound(Unpooled.wrappedBuffer(second));
        assertFalse(pair[1].isOpen());
        assertEquals(1, serverDrops.count(ConnectionDrop.BAD_RECORD));
        assertEquals(3, first.length - 18);
    }

    @Test
    void aStreamCutInsideARecordIsCounted() {
        EmbeddedChannel[] pair = established();
        byte[] record = sealed(pair[0], "a record cut short");
        pair[1].writeInbound(Unpooled.wrappedBuffer(record, 0, record.length - 3));
        assertEquals(0, serverHeard.bytes.size());
        pair[1].pipeline().fireChannelInactive(); // the peer hung up: the socket went inactive under us
        assertEquals(1, serverDrops.count(ConnectionDrop.BAD_RECORD));
    }

    @Test
    void aRecordCutShortByThisSideClosingIsNotCounted() {
        EmbeddedChannel[] pair = established();
        byte[] record = sealed(pair[0], "a record in flight when we close");
        pair[1].writeInbound(Unpooled.wrappedBuffer(record, 0, record.length - 3));
        pair[1].close(); // say, a download that just completed
        assertEquals(0, serverDrops.count(ConnectionDrop.BAD_RECORD));
    }

    @Test
    void aPlaintextProtocolPeerIsRefusedAsAVersionMismatch() {
        EmbeddedChannel server = server();
        // a protocol-4 HELLO: u32 length, CONTROL, HELLO, version 4, ...
        server.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0x45, 1, 0x20, 8, 0x22, 0x22, 0x22}));
        assertFalse(server.isOpen());
        assertEquals(1, serverDrops.count(ConnectionDrop.VERSION_MISMATCH));
        assertFalse(serverHeard.active, "nothing after the link heard of it");
    }

    @Test
    void anotherNodeThanTheOneExpectedIsRefusedAndForgotten() {
        known.proven(SERVER, new dev.kadshare.transfer.link.ProvenPeer(PeerId.of(identity(7).nodeId()),
                identity(7).noiseStatic().publicKey(), dev.kadshare.transfer.link.noise.Pattern.XX));
        known.forgetKey(SERVER); // the id is expected, the key not known: XX
        EmbeddedChannel client = client();
        EmbeddedChannel server = server();
        shuttle(client, server);
        assertFalse(client.isOpen());
        assertEquals(1, clientDrops.count(ConnectionDrop.WRONG_IDENTITY));
        assertFalse(clientHeard.active);
        assertEquals(Optional.empty(), known.at(SERVER));
    }

    @Test
    void anIkAttemptToAChangedKeyFailsAndTheKeyIsForgotten() {
        LinkIdentity old = identity(8);
        known.proven(SERVER, new dev.kadshare.transfer.link.ProvenPeer(PeerId.of(serverId.nodeId()),
                old.noiseStatic().publicKey(), dev.kadshare.transfer.link.noise.Pattern.IK));
        EmbeddedChannel client = client();
        EmbeddedChannel server = server();
        shuttle(client, server);
        assertFalse(server.isOpen());
        assertEquals(1, serverDrops.count(ConnectionDrop.HANDSHAKE_FAILED));
        hangUp(client); // the server's close reaches the client
        assertEquals(1, clientDrops.count(ConnectionDrop.HANDSHAKE_FAILED));
        assertEquals(Optional.empty(), known.at(SERVER).orElseThrow().staticKey(), "the next dial uses XX");
        // which works, and proves the id expected
        EmbeddedChannel again = client();
        EmbeddedChannel server2 = server();
        shuttle(again, server2);
        assertTrue(again.isOpen() && server2.isOpen());
        assertTrue(known.at(SERVER).orElseThrow().staticKey().isPresent());
    }

    @Test
    void aDialWhoseIkThePeerHangsUpOnIsReplacedByAnXxDialUnheardOfAfterTheLink() {
        known.proven(SERVER, new dev.kadshare.transfer.link.ProvenPeer(PeerId.of(serverId.nodeId()),
                identity(9).noiseStatic().publicKey(), dev.kadshare.transfer.link.noise.Pattern.IK));
        int[] redials = new int[1];
        EmbeddedChannel client = client(Optional.of(() -> redials[0]++));
        EmbeddedChannel server = server();
        shuttle(client, server);
        hangUp(client);
        assertEquals(1, redials[0], "dialled again at once");
        assertFalse(clientHeard.inactive, "the download never heard of the failed attempt");
        assertEquals(Optional.empty(), known.at(SERVER).orElseThrow().staticKey(), "so the redial is XX");
    }

    /** A client dialling {@link #SERVER} through a relay (the "server" here is whoever the relay put at the far end). */
    private EmbeddedChannel clientThroughRelay() {
        EmbeddedChannel channel = new EmbeddedChannel();
        LinkPipeline.installThroughRelay(channel.pipeline(),
                new LinkSecurity.Encrypted(clientId, known, clientDrops, new SplittableRandom(3)), SERVER);
        channel.pipeline().addLast(clientHeard);
        channel.pipeline().fireChannelActive(); // the circuit is open: the handshake starts
        return channel;
    }

    @Test
    void whatAnswersThroughARelayWithXxIsNotRememberedAsThePeer() {
        EmbeddedChannel client = clientThroughRelay();
        EmbeddedChannel relayItself = server(); // no key known for the peer: XX, which anyone can answer
        shuttle(client, relayItself);
        assertTrue(client.isOpen() && clientHeard.active, "the link works, to whoever it is");
        assertEquals(Optional.empty(), known.at(SERVER), "but proves nothing about the peer's address");
    }

    @Test
    void anIkThroughARelayThatFailsForgetsNothingAndIsNotRetriedWithXx() {
        known.proven(SERVER, new dev.kadshare.transfer.link.ProvenPeer(PeerId.of(identity(9).nodeId()),
                identity(9).noiseStatic().publicKey(), dev.kadshare.transfer.link.noise.Pattern.IK));
        EmbeddedChannel client = clientThroughRelay();
        EmbeddedChannel relayItself = server(); // not the peer: it cannot answer the peer's key
        shuttle(client, relayItself);
        hangUp(client);
        assertFalse(clientHeard.active, "no link");
        assertTrue(known.at(SERVER).orElseThrow().staticKey().isPresent(), "the peer's key is kept: a relay proves nothing");
        assertEquals(PeerId.of(identity(9).nodeId()), known.at(SERVER).orElseThrow().nodeId());
    }

    @Test
    void closingADialMidHandshakeIsNeitherAFailureNorARedial() {
        known.proven(SERVER, new dev.kadshare.transfer.link.ProvenPeer(PeerId.of(serverId.nodeId()),
                serverId.noiseStatic().publicKey(), dev.kadshare.transfer.link.noise.Pattern.IK));
        int[] redials = new int[1];
        EmbeddedChannel client = client(Optional.of(() -> redials[0]++));
        client.close(); // the download let go of the peer before the handshake finished
        assertEquals(0, redials[0]);
        assertEquals(0, clientDrops.count(ConnectionDrop.HANDSHAKE_FAILED));
        assertTrue(clientHeard.inactive);
        assertTrue(known.at(SERVER).orElseThrow().staticKey().isPresent(), "the key is still good");
    }

    @Test
    void aHandshakeNotDoneWithinTenSecondsIsClosed() {
        EmbeddedChannel server = server();
        server.advanceTimeBy(9, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertTrue(server.isOpen());
        server.advanceTimeBy(2, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertFalse(server.isOpen());
        assertEquals(1, serverDrops.count(ConnectionDrop.HANDSHAKE_TIMEOUT));
    }

    private static byte[] sealed(EmbeddedChannel from, String text) {
        from.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        return outbound(from);
    }
}
