package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.ConnectionLimits;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.kadshare.transfer.ContentSource;
import dev.kadshare.net.MonotonicClock;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.ServingOnly;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.Uploads;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.Naming;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.BitSet;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving side of one connection on an embedded channel, its content's hub on the channel's own loop: messages
 * in, messages and file regions out, each region read to check it holds the chunk's bytes.
 */
class ServerSessionTest {
    @TempDir
    Path dir;
    private byte[] data;
    private Path file;
    private Manifest manifest;
    private Uploads uploads;

    @BeforeEach
    void setUp() throws Exception {
        data = new byte[2500];
        new Random(3).nextBytes(data);
        file = Files.write(dir.resolve("f"), data);
        manifest = Manifest.ofFile(file, "f.bin", 1000);
        uploads = new Uploads();
    }

    private EmbeddedChannel session(ContentSource source) {
        return session(source, new ConnectionDrops());
    }

    private EmbeddedChannel session(ContentSource source, ConnectionDrops drops, ChannelHandler... before) {
        return session(source, hubs(), drops, before);
    }

    /** A server's hubs, which tell no one of the changed files they find. */
    private ServingHubs hubs() {
        return new ServingHubs(TransferLimits.defaults(), uploads, MonotonicClock.INSTANCE, (id, stamps) -> { });
    }

    private EmbeddedChannel session(ContentSource source, ServingHubs hubs, ConnectionDrops drops, ChannelHandler... before) {
        EmbeddedChannel channel = new EmbeddedChannel(before);
        channel.pipeline().addLast(new ServerSession(source, hubs, ConnectionGuards.of(ConnectionLimits.defaults(), drops)));
        return channel;
    }

    private ContentSource sharedSource() {
        SharedContent shared = new SharedContent(manifest, file);
        return id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty();
    }

    @Test
    void theHelloDeadlineStartsAgainWhenTheLinkIsReady() {
        ConnectionDrops drops = new ConnectionDrops();
        EmbeddedChannel channel = session(sharedSource(), drops);
        channel.advanceTimeBy(8, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.pipeline().fireUserEventTriggered(new LinkReady() { });
        channel.advanceTimeBy(8, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "16 s after accept, 8 after the link was ready");
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(1, drops.count(ConnectionDrop.HELLO_TIMEOUT));
    }

    /** Holds every flush until let go: a socket that takes nothing. */
    private static final class StalledSocket extends ChannelOutboundHandlerAdapter {
        private boolean stalled = true;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!stalled) {
                ctx.flush();
            }
        }

        void letGo(ChannelHandlerContext ctx) {
            stalled = false;
            ctx.flush();
        }
    }

    @Test
    void controlMessagesWaitForWritabilityAndGoOutInOrderOnceItReturns() {
        StalledSocket socket = new StalledSocket();
        EmbeddedChannel channel = session(sharedSource(), new ConnectionDrops(), socket);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8 << 10, 16 << 10));
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        channel.write(Unpooled.wrappedBuffer(new byte[32 << 10])); // fills the outbound buffer past its high mark
        assertFalse(channel.isWritable());
        ServerSession session = channel.pipeline().get(ServerSession.class);

        channel.writeInbound(new Message.ManifestRequest());
        channel.writeInbound(new Message.Request(7));

        assertTrue(session.keptBackBytes() >= manifest.canonicalLength(), "the manifest and the REJECT wait");
        socket.letGo(channel.pipeline().context(socket));
        channel.runPendingTasks();
        assertEquals(0, session.keptBackBytes());
        assertInstanceOf(Message.Hello.class, channel.readOutbound());
        assertInstanceOf(Message.Bitfield.class, channel.readOutbound());
        ((ByteBuf) channel.readOutbound()).release();
        assertInstanceOf(Message.ManifestData.class, channel.readOutbound());
        assertInstanceOf(Message.Reject.class, channel.readOutbound());
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void aThirdUnansweredManifestRequestClosesTheConnection() throws Exception {
        ConnectionDrops drops = new ConnectionDrops();
        // The hub on a loop of its own, kept busy: the requests wait there unanswered, as behind a burst.
        DefaultEventLoop hubLoop = new DefaultEventLoop();
        CountDownLatch busy = new CountDownLatch(1);
        hubLoop.execute(() -> Uninterruptibles.awaitUninterruptibly(busy));
        try {
            ServedContent partial = ServedContent.partial(manifest, file, new BitSet(), hubLoop);
            EmbeddedChannel channel = session(ServingOnly.of(partial), drops);
            channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
            channel.writeInbound(new Message.ManifestRequest());
            channel.writeInbound(new Message.ManifestRequest());
            assertTrue(channel.isOpen());
            channel.writeInbound(new Message.ManifestRequest());
            assertFalse(channel.isOpen());
            assertEquals(1, drops.count(ConnectionDrop.OUTBOUND_BUDGET));
        } finally {
            busy.countDown();
            hubLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private EmbeddedChannel sharing() {
        SharedContent shared = new SharedContent(manifest, file);
        return session(id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty());
    }

    private void hello(EmbeddedChannel channel) {
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertEquals(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()), channel.readOutbound());
        assertInstanceOf(Message.Bitfield.class, channel.readOutbound());
    }

    /** The chunk the session wrote next: its index from the header, its bytes read from its file region. */
    private static byte[] chunk(EmbeddedChannel channel, int index) throws IOException {
        ByteBuf header = channel.readOutbound();
        assertEquals(index, header.getInt(5));
        int length = header.getInt(0) - FrameCodec.CHUNK_HEADER_BYTES;
        header.release();
        DefaultFileRegion body = channel.readOutbound();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.transferTo(Channels.newChannel(out), 0);
        body.release();
        assertEquals(length, out.size());
        return out.toByteArray();
    }

    private byte[] expected(int index) {
        return java.util.Arrays.copyOfRange(data, index * 1000, Math.min(data.length, (index + 1) * 1000));
    }

    /** A download's partial content holding every chunk of the file, on a loop of its own. */
    private ServedContent partialHoldingAll() {
        BitSet held = new BitSet();
        held.set(0, manifest.chunkCount());
        return ServedContent.partial(manifest, file, held, new EmbeddedChannel().eventLoop());
    }

    /** Asks for chunk {@code index}, which the session must refuse with a GOODBYE, sending nothing of it, and close. */
    private static void refused(EmbeddedChannel channel, int index) {
        channel.writeInbound(new Message.Request(index));
        assertEquals("chunk " + index + " is not available", ((Message.Goodbye) channel.readOutbound()).reason());
        assertNull(channel.readOutbound(), "nothing of the chunk");
        assertFalse(channel.isOpen());
    }

    /** Something done to the files on disk between two requests. */
    private interface DiskChange {
        void apply() throws IOException;
    }

    /** Chunk 0 is served as it is on disk; after {@code change}, chunk 1 is refused. */
    private void servedUntil(EmbeddedChannel channel, DiskChange change) throws IOException {
        channel.writeInbound(new Message.Request(0));
        assertArrayEquals(expected(0), chunk(channel, 0));
        change.apply();
        refused(channel, 1);
    }

    /** The user edits the shared file: same length, other bytes, a later time. */
    private void edit() throws IOException {
        Files.write(file, new byte[data.length]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000));
    }

    @Test
    void servesManifestAndChunksAfterHelloAndCountsThem() throws Exception {
        EmbeddedChannel channel = sharing();
        hello(channel);
        channel.writeInbound(new Message.ManifestRequest());
        Message.ManifestData data = channel.readOutbound();
        assertArrayEquals(manifest.canonicalBytes(), data.canonicalBytes());
        channel.writeInbound(new Message.Request(2));
        channel.writeInbound(new Message.Request(0));
        assertArrayEquals(expected(2), chunk(channel, 2));
        assertArrayEquals(expected(0), chunk(channel, 0));
        channel.writeInbound(new Message.Request(3));
        assertInstanceOf(Message.Reject.class, channel.readOutbound(), "no chunk 3");
        assertTrue(channel.isOpen());
        channel.runPendingTasks();
        assertEquals(1500, uploads.bytesUploaded(manifest.contentId()), "published for the node to show");
        channel.finishAndReleaseAll();
    }

    @Test
    void aPartialDownloadServesWhatItHoldsAndAnnouncesNewChunksUntilClosed() throws Exception {
        EmbeddedChannel download = new EmbeddedChannel(); // the download's loop, where its partial content lives
        BitSet held = new BitSet();
        held.set(1);
        ServedContent partial = ServedContent.partial(manifest, file, held, download.eventLoop());
        EmbeddedChannel channel = session(ServingOnly.of(partial));
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertInstanceOf(Message.Hello.class, channel.readOutbound());
        assertEquals(held, ((Message.Bitfield) channel.readOutbound()).toBitSet());
        channel.writeInbound(new Message.Request(0));
        assertEquals(0, ((Message.Reject) channel.readOutbound()).index());
        partial.add(0);
        assertEquals(new Message.Have(0), channel.readOutbound());
        channel.writeInbound(new Message.Request(0));
        assertArrayEquals(expected(0), chunk(channel, 0));
        channel.close();
        partial.add(2); // the hub has heard the session left: nothing is written to a closed channel
        channel.runPendingTasks();
        assertNull(channel.readOutbound());
    }

    @Test
    void aChunkAskedForWhileTheDownloadMovesItsFileIsReadFromWhereTheFileWent() throws Exception {
        ServedContent partial = partialHoldingAll();
        EmbeddedChannel channel = session(ServingOnly.of(partial));
        hello(channel);
        partial.moving(); // the download is about to rename its partial file
        channel.writeInbound(new Message.Request(1));
        assertNull(channel.readOutbound(), "nothing read while the file moves");
        Path moved = Files.move(file, dir.resolve("final.bin"));
        partial.movedTo(moved);
        assertArrayEquals(expected(1), chunk(channel, 1), "read from the new path; the session lives on");
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void aChunkWhoseFileIsGoneEndsTheSessionWithAGoodbye() throws Exception {
        ServedContent partial = partialHoldingAll();
        EmbeddedChannel channel = session(ServingOnly.of(partial));
        hello(channel);
        Files.delete(file); // say, the download was removed with its data
        refused(channel, 1);
    }

    @Test
    void aSharedFileSwappedForASymbolicLinkIsNotReadThroughIt() throws Exception {
        EmbeddedChannel channel = sharing();
        hello(channel);
        servedUntil(channel, () -> {
            // Someone puts a link to another file of the same length where the shared file was.
            Path secret = Files.write(dir.resolve("secret"), new byte[data.length]);
            Files.delete(file);
            Files.createSymbolicLink(file, secret);
        });
    }

    @Test
    void aDirectoryShareIsNotReadThroughALinkBelowItsRootButMayLieBelowOne() throws Exception {
        // The share's root lies below a link (the user's own layout): that is fine.
        Path real = Files.createDirectories(dir.resolve("real"));
        Path above = Files.createSymbolicLink(dir.resolve("above"), real);
        Path root = above.resolve("share");
        Files.write(Files.createDirectories(root.resolve("sub")).resolve("a.bin"), data);
        Manifest tree = Manifest.ofDirectory(root, "share", 1000);
        SharedContent shared = new SharedContent(tree, root);
        EmbeddedChannel channel = session(id -> id.equals(tree.contentId()) ? Optional.of(shared) : Optional.empty());
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, tree.contentId()));
        assertInstanceOf(Message.Hello.class, channel.readOutbound());
        assertInstanceOf(Message.Bitfield.class, channel.readOutbound());
        servedUntil(channel, () -> {
            // Someone swaps the directory below the root for a link to theirs, holding a file of that name and length.
            Path theirs = Files.createDirectories(dir.resolve("theirs"));
            Files.write(theirs.resolve("a.bin"), new byte[data.length]);
            Files.move(root.resolve("sub"), dir.resolve("sub-moved-away"));
            Files.createSymbolicLink(root.resolve("sub"), theirs);
        });
    }

    @Test
    void aSharedFileChangedSinceItWasStampedIsNotServed() throws Exception {
        ContentStamps stamps = ContentStamps.of(ContentLayout.of(manifest, file));
        SharedContent shared = new SharedContent(manifest, file, Naming.ORIGINAL, stamps);
        EmbeddedChannel channel = session(id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty());
        hello(channel);
        servedUntil(channel, this::edit);
    }

    /** A session, past its HELLO, served by the hub of a download's partial content holding every chunk. */
    private EmbeddedChannel partialSession(ServingHubs hubs) {
        EmbeddedChannel channel = session(ServingOnly.of(partialHoldingAll()), hubs, new ConnectionDrops());
        hello(channel);
        return channel;
    }

    /** The file's stamps now, as the library takes a finished download's content in. */
    private ContentStamps stampsNow() throws IOException {
        return ContentStamps.of(ContentLayout.of(manifest, file, Naming.LOCAL));
    }

    @Test
    void aDownloadsHubChecksItsFilesOnceTheLibraryStampedThem() throws Exception {
        ServingHubs hubs = hubs();
        partialSession(hubs);
        // Complete, the content is in the library, stamped; the download's hub serves the next session too.
        SharedContent stamped = new SharedContent(manifest, file, Naming.LOCAL, stampsNow());
        EmbeddedChannel channel = session(id -> Optional.of(stamped), hubs, new ConnectionDrops());
        hello(channel);
        servedUntil(channel, this::edit);
    }

    @Test
    void aDownloadsHubToldOfItsStampsChecksThemForTheSessionsItServes() throws Exception {
        ServingHubs hubs = hubs();
        EmbeddedChannel channel = partialSession(hubs);
        hubs.stamped(manifest.contentId(), stampsNow()); // complete, in the library: the node tells the server
        servedUntil(channel, this::edit);
    }

    @Test
    void saysGoodbyeToUnknownContentAndWrongVersions() {
        EmbeddedChannel channel = sharing();
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, ContentId.fromHex("00".repeat(32))));
        assertInstanceOf(Message.Goodbye.class, channel.readOutbound());
        assertFalse(channel.isOpen());

        EmbeddedChannel other = sharing();
        other.writeInbound(new Message.Hello(99, manifest.contentId()));
        assertInstanceOf(Message.Goodbye.class, other.readOutbound());
        assertFalse(other.isOpen());
    }

    @Test
    void closesOnRequestsBeforeHello() {
        EmbeddedChannel channel = sharing();
        channel.writeInbound(new Message.Request(0));
        assertNull(channel.readOutbound());
        assertFalse(channel.isOpen());
    }

    @Test
    void closesOnMessagesOnlyAServerSendsAndOnASecondHello() {
        EmbeddedChannel channel = sharing();
        hello(channel);
        channel.writeInbound(new Message.ManifestData(new byte[1]));
        assertFalse(channel.isOpen());

        EmbeddedChannel twice = sharing();
        hello(twice);
        twice.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertFalse(twice.isOpen());
    }
}
