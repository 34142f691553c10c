package dev.kadshare.transfer.netty;

import com.google.common.primitives.Bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.KnownKeys;
import dev.kadshare.transfer.link.LinkIdentity;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.link.ProvenPeer;
import dev.kadshare.transfer.link.noise.Pattern;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads over real sockets with encrypted links: a recording relay between downloader and server captures
 * neither the file's bytes, nor its name, nor its content id; a node id other than the one expected at an
 * address, or a plaintext peer of protocol 4, is refused and counted.
 */
class LinkCaptureTest {
    private static final int CHUNK = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String NAME = "quarterly-secret-figures.bin";
    static EventLoopGroup group;
    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A TCP relay on 127.0.0.1 to {@code target} that records every byte it passes, both ways. */
    static final class RecordingRelay implements AutoCloseable {
        final ServerSocket listening = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final List<Socket> sockets = new ArrayList<>();

        RecordingRelay(InetSocketAddress target) throws IOException {
            Thread accepting = new Thread(() -> {
                try {
                    while (true) {
                        Socket in = listening.accept();
                        Socket out = new Socket(target.getAddress(), target.getPort());
                        synchronized (sockets) {
                            sockets.add(in);
                            sockets.add(out);
                        }
                        pump(in, out);
                        pump(out, in);
                    }
                } catch (IOException closed) {
                    // the relay is closed
                }
            }, "relay-accept");
            accepting.setDaemon(true);
            accepting.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        synchronized (captured) {
                            captured.write(buf, 0, n);
                        }
                        out.write(buf, 0, n);
                    }
                } catch (IOException closed) {
                    // either end went away
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", listening.getLocalPort());
        }

        byte[] captured() {
            synchronized (captured) {
                return captured.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            listening.close();
            synchronized (sockets) {
                sockets.forEach(RecordingRelay::closeQuietly);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static LinkSecurity.Encrypted links(int n, ConnectionDrops drops, KnownKeys known) {
        byte[] seed = new byte[32];
        new SplittableRandom(n).nextBytes(seed);
        return new LinkSecurity.Encrypted(LinkIdentity.fromSeed(seed), known, drops, new SecureRandom());
    }

    /** A file of random bytes shared under {@code name}. */
    private record Share(byte[] data, Path file, Manifest manifest) {
    }

    private Share share(String name, int size, int seed) throws IOException {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        Path file = dir.resolve(name);
        Files.write(file, data);
        return new Share(data, file, Manifest.ofFile(file, name, CHUNK));
    }

    private NettyDownload download(Manifest manifest, InetSocketAddress peer, String out, LinkSecurity links) {
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(peer), dir.resolve(out), group,
                DownloadOptions.defaults(), NettyDownload.Milestones.NONE, links);
        closing.add(download::cancel);
        return download;
    }

    private TransferServer serve(Path file, Manifest manifest, LinkSecurity links) throws IOException {
        TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> id.equals(manifest.contentId()) ? Optional.of(new SharedContent(manifest, file)) : Optional.empty(),
                group, TransferLimits.defaults(), links);
        closing.add(server);
        return server;
    }

    @Test
    void aCaptureOfTheDownloadHoldsNeitherTheBytesNorTheNameNorTheContentId() throws Exception {
        Share share = share(NAME, 3 * 1024 * 1024 + 77, 11);
        byte[] data = share.data();
        Path file = share.file();
        Manifest manifest = share.manifest();
        ConnectionDrops drops = new ConnectionDrops();
        TransferServer server = serve(file, manifest, links(1, drops, new KnownKeys(8)));
        RecordingRelay relay = new RecordingRelay(server.localAddress());
        closing.add(relay);
        NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(relay.address()), dir.resolve("out"),
                group, DownloadOptions.defaults(), NettyDownload.Milestones.NONE, links(2, drops, new KnownKeys(8)));
        Path got = download.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(data, Files.readAllBytes(got));
        assertEquals(PeerId.of(links(1, drops, new KnownKeys(1)).identity().nodeId()),
                download.progress().peers().get(0).nodeId(), "the server's id, as its link proved it");
        relay.close();
        byte[] captured = relay.captured();
        assertTrue(captured.length > data.length, "the whole download went through the relay: " + captured.length);
        // a distinctive 64 KiB slice at several offsets: not even its first 32 bytes appear
        for (int offset : new int[] {0, 100_000, CHUNK, 1_500_001, data.length - 65536}) {
            byte[] needle = java.util.Arrays.copyOfRange(data, offset, offset + 32);
            assertEquals(-1, Bytes.indexOf(captured, needle), "file bytes at " + offset + " in the capture");
        }
        assertEquals(-1, Bytes.indexOf(captured, NAME.getBytes(StandardCharsets.UTF_8)), "the name");
        assertEquals(-1, Bytes.indexOf(captured, "quarterly".getBytes(StandardCharsets.UTF_8)), "part of the name");
        assertEquals(-1, Bytes.indexOf(captured, manifest.contentId().bytes()), "the content id");
        assertEquals(-1, Bytes.indexOf(captured, manifest.contentId().toHex().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, drops.count(ConnectionDrop.BAD_RECORD) + drops.count(ConnectionDrop.HANDSHAKE_FAILED));
    }

    @Test
    void anotherNodeAtAnAddressIsRefusedAndCounted() throws Exception {
        Share share = share("id.bin", CHUNK * 2, 12);
        Path file = share.file();
        Manifest manifest = share.manifest();
        TransferServer server = serve(file, manifest, links(3, new ConnectionDrops(), new KnownKeys(8)));
        ConnectionDrops drops = new ConnectionDrops();
        KnownKeys known = new KnownKeys(8);
        // an earlier handshake here proved another node; the key is not known, so XX, expecting that id
        LinkIdentity other = links(4, drops, known).identity();
        known.proven(server.localAddress(), new ProvenPeer(PeerId.of(other.nodeId()), other.noiseStatic().publicKey(),
                Pattern.XX));
        known.forgetKey(server.localAddress());
        NettyDownload download = download(manifest, server.localAddress(), "out", links(5, drops, known));
        await().atMost(TIMEOUT).until(() -> drops.count(ConnectionDrop.WRONG_IDENTITY) >= 1);
        assertFalse(download.completion().isDone() && !download.completion().isCompletedExceptionally()
                && download.progress().chunksVerified() > 0, "nothing came from the wrong node");
    }

    @Test
    void aStaleKeyFallsBackToXxInTheSameDialAndTheNextDownloadUsesTheKeyLearned() throws Exception {
        Share share = share("ik.bin", CHUNK * 3, 13);
        byte[] data = share.data();
        Path file = share.file();
        Manifest manifest = share.manifest();
        ConnectionDrops serverDrops = new ConnectionDrops();
        LinkSecurity.Encrypted serverLinks = links(6, serverDrops, new KnownKeys(8));
        TransferServer server = serve(file, manifest, serverLinks);
        ConnectionDrops drops = new ConnectionDrops();
        KnownKeys known = new KnownKeys(8);
        // a stale key for the right node id: IK fails at the server, the key is forgotten, and the same dial is made
        // again with XX, which proves the node expected, learns its key and completes the download
        known.proven(server.localAddress(), new ProvenPeer(PeerId.of(serverLinks.identity().nodeId()),
                links(99, drops, known).identity().noiseStatic().publicKey(), Pattern.IK));
        NettyDownload stale = download(manifest, server.localAddress(), "stale", links(7, drops, known));
        assertArrayEquals(data, Files.readAllBytes(stale.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
        assertArrayEquals(serverLinks.identity().noiseStatic().publicKey(),
                known.at(server.localAddress()).orElseThrow().staticKey().orElseThrow(), "the key proven");
        assertEquals(PeerId.of(serverLinks.identity().nodeId()), known.at(server.localAddress()).orElseThrow().nodeId());
        // the next download uses IK with the key learned
        NettyDownload again = download(manifest, server.localAddress(), "again", links(7, drops, known));
        assertArrayEquals(data, Files.readAllBytes(again.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
        assertEquals(1, serverDrops.count(ConnectionDrop.HANDSHAKE_FAILED), "only the stale IK attempt failed");
    }

    @Test
    void aFirstDownloadWithTheKeyTheDhtNamedUsesIk() throws Exception {
        Share share = share("hinted.bin", CHUNK * 2, 14);
        LinkSecurity.Encrypted serverLinks = links(10, new ConnectionDrops(), new KnownKeys(8));
        TransferServer server = serve(share.file(), share.manifest(), serverLinks);
        RecordingRelay relay = new RecordingRelay(server.localAddress());
        closing.add(relay);
        ConnectionDrops drops = new ConnectionDrops();
        LinkSecurity.Encrypted links = links(11, drops, new KnownKeys(8));
        // nothing proven yet: only the DHT's word for the key at this address
        links.hints().hint(relay.address(), serverLinks.identity().noiseStatic().publicKey());
        NettyDownload download = download(share.manifest(), relay.address(), "out", links);
        assertArrayEquals(share.data(), Files.readAllBytes(download.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
        byte[] preamble = java.util.Arrays.copyOf(relay.captured(), 6);
        assertArrayEquals(new byte[] {0x4B, 0x53, 0x4C, 0x4B, 1, 2}, preamble, "the first bytes on the wire ask for IK");
        assertEquals(1, links.hints().confirmedCount());
        assertEquals(0, drops.count(ConnectionDrop.KEY_HINT_REFUTED) + drops.count(ConnectionDrop.HANDSHAKE_FAILED));
    }

    @Test
    void aWrongKeyFromTheDhtCostsOneXxFallbackAndIsNeitherKeptNorTriedAgain() throws Exception {
        Share share = share("lied.bin", CHUNK * 2, 15);
        ConnectionDrops serverDrops = new ConnectionDrops();
        LinkSecurity.Encrypted serverLinks = links(12, serverDrops, new KnownKeys(8));
        TransferServer server = serve(share.file(), share.manifest(), serverLinks);
        ConnectionDrops drops = new ConnectionDrops();
        KnownKeys known = new KnownKeys(8);
        LinkSecurity.Encrypted links = links(13, drops, known);
        byte[] lie = links(98, drops, known).identity().noiseStatic().publicKey();
        links.hints().hint(server.localAddress(), lie);
        NettyDownload download = download(share.manifest(), server.localAddress(), "out", links);
        assertArrayEquals(share.data(), Files.readAllBytes(download.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
        assertEquals(1, drops.count(ConnectionDrop.KEY_HINT_REFUTED), "the wrong hint, counted as such");
        assertEquals(0, drops.count(ConnectionDrop.HANDSHAKE_FAILED) + drops.count(ConnectionDrop.WRONG_IDENTITY));
        assertEquals(1, serverDrops.count(ConnectionDrop.HANDSHAKE_FAILED), "one IK attempt, then XX");
        assertArrayEquals(serverLinks.identity().noiseStatic().publicKey(),
                known.at(server.localAddress()).orElseThrow().staticKey().orElseThrow(), "the key proven, not the hint");
        assertEquals(Optional.empty(), links.hints().at(server.localAddress()), "refuted");
        links.hints().hint(server.localAddress(), lie); // a later lookup says the same
        assertEquals(Optional.empty(), links.hints().at(server.localAddress()), "never tried again");
        assertEquals(0, links.hints().confirmedCount());
    }

    @Test
    void aPlaintextProtocol4ServerIsAFailedHandshakeNotAHang() throws Exception {
        Share share = share("old.bin", CHUNK, 0);
        Path file = share.file();
        Manifest manifest = share.manifest();
        // a plaintext server closes on the preamble, read as a frame length of 1.26 GB
        TransferServer old = serve(file, manifest, new LinkSecurity.PlaintextForMeasurement());
        ConnectionDrops drops = new ConnectionDrops();
        NettyDownload download = download(manifest, old.localAddress(), "out", links(8, drops, new KnownKeys(8)));
        await().atMost(TIMEOUT).until(() -> drops.count(ConnectionDrop.HANDSHAKE_FAILED) >= 1);
        assertEquals(0, download.progress().chunksVerified());
    }

    @Test
    void aPlaintextProtocol4ClientIsAVersionMismatchAtTheServer() throws Exception {
        Share share = share("new.bin", CHUNK, 0);
        Path file = share.file();
        Manifest manifest = share.manifest();
        ConnectionDrops drops = new ConnectionDrops();
        TransferServer server = serve(file, manifest, links(9, drops, new KnownKeys(8)));
        NettyDownload download = download(manifest, server.localAddress(), "out",
                new LinkSecurity.PlaintextForMeasurement());
        await().atMost(TIMEOUT).until(() -> drops.count(ConnectionDrop.VERSION_MISMATCH) >= 1);
        assertEquals(0, download.progress().chunksVerified());
    }
}
