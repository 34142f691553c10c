package dev.kadshare.transfer;

import dev.kadshare.transfer.link.LinkHandshake;
import dev.kadshare.transfer.link.LinkIdentity;
import dev.kadshare.transfer.link.LinkStep;
import dev.kadshare.transfer.link.RecordLayer;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.wire.Decoded;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import com.google.common.base.Suppliers;

/**
 * A blocking TCP client that speaks the transfer frames by hand, from a chosen loopback source address (Linux routes
 * all of 127.0.0.0/8 on loopback): the stranger a server must hold to its limits. It connects over plain TCP and runs
 * the link handshake (as a fresh identity) only when it first sends or reads a message, so it can also be a
 * connection that never gets that far.
 */
public final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private DataInputStream in;
    private final OutputStream out;
    private final FrameCodec codec = new FrameCodec();
    /** The link's records, once the handshake is done. */
    private Optional<RecordLayer> records = Optional.empty();
    /** Plaintext opened from records and not read yet. */
    private DataInputStream plain = new DataInputStream(new ByteArrayInputStream(new byte[0]));

    /**
     * Who this peer proves to be on its link: a fresh identity, made when first needed. A connection that never gets
     * that far (a flood's) costs no key derivation: the flooder's own work is not what a server's limits are about.
     */
    private final Supplier<LinkIdentity> identity = Suppliers.memoize(this::freshIdentity);
    private final SplittableRandom random = new SplittableRandom();

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    private LinkIdentity freshIdentity() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return LinkIdentity.fromSeed(seed);
    }

    /** The link handshake, as a fresh identity, if not done yet; bounded in turns and by a 10 s read timeout. */
    private RecordLayer link() throws IOException {
        if (records.isPresent()) {
            return records.get();
        }
        LinkHandshake handshake = LinkHandshake.initiator(identity.get(), Optional.empty(), random);
        out.write(handshake.start());
        out.flush();
        socket.setSoTimeout(10_000);
        byte[] buffer = new byte[4096];
        for (int turn = 0; turn < 64; turn++) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("closed during the link handshake");
            }
            LinkStep step = handshake.receive(Arrays.copyOf(buffer, n));
            out.write(step.send());
            out.flush();
            if (step instanceof LinkStep.Established established) {
                in = new DataInputStream(new SequenceInputStream(new ByteArrayInputStream(established.leftover()),
                        socket.getInputStream()));
                records = Optional.of(new RecordLayer(established.transport()));
                return records.get();
            }
            if (step instanceof LinkStep.Refused refused) {
                throw new IOException("link refused: " + refused.why());
            }
        }
        throw new IOException("link handshake did not finish in 64 reads");
    }

    /** Connected to {@code server} from {@code source} (port chosen by the system). */
    public static RawPeer connect(String source, InetSocketAddress server) throws IOException {
        return connect(source, server, 0);
    }

    /** As {@link #connect(String, InetSocketAddress)}, with a receive buffer of {@code receiveBuffer} bytes (0: default). */
    public static RawPeer connect(String source, InetSocketAddress server, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            // Before connect, so the window it announces is small from the start.
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(server, 5_000);
        return new RawPeer(socket);
    }

    /** The node id this peer proves on its link. */
    public dev.kadshare.transfer.content.PeerId nodeId() {
        return dev.kadshare.transfer.content.PeerId.of(identity.get().nodeId());
    }

    /** The local end of its connection. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** One frame's bytes. */
    public byte[] frame(Message message) {
        ByteBuf frame = codec.encode(message, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            return bytes;
        } finally {
            frame.release();
        }
    }

    public void send(Message message) throws IOException {
        sendRaw(frame(message));
    }

    /** {@code bytes} as they are on the link's byte stream (sealed in as few records as they fit). */
    public void sendRaw(byte[] bytes) throws IOException {
        RecordLayer link = link();
        byte[] sealed = new byte[RecordLayer.sealedSize(RecordLayer.MAX_PLAINTEXT)];
        try {
            for (int offset = 0; offset < bytes.length; offset += RecordLayer.MAX_PLAINTEXT) {
                int length = Math.min(RecordLayer.MAX_PLAINTEXT, bytes.length - offset);
                out.write(sealed, 0, link.seal(bytes, offset, length, sealed, 0));
            }
        } catch (NoiseException e) {
            throw new IOException(e);
        }
        out.flush();
    }

    /** Reads plaintext until at least {@code bytes} are waiting, opening records as they come. */
    private DataInputStream plaintext(int bytes) throws IOException {
        RecordLayer link = link();
        ByteArrayOutputStream more = new ByteArrayOutputStream();
        more.write(plain.readAllBytes());
        while (more.size() < bytes) {
            int length = in.readUnsignedShort();
            byte[] sealed = new byte[length];
            in.readFully(sealed);
            byte[] opened = new byte[length];
            try {
                more.write(opened, 0, link.open(sealed, 0, length, opened, 0));
            } catch (NoiseException e) {
                throw new IOException(e);
            }
        }
        plain = new DataInputStream(new ByteArrayInputStream(more.toByteArray()));
        return plain;
    }

    /** The next message, waiting at most {@code millis}. */
    public Message read(int millis) throws IOException {
        link();
        socket.setSoTimeout(millis);
        int length = plaintext(4).readInt();
        byte[] body = new byte[length];
        plaintext(length).readFully(body);
        Decoded decoded = codec.decode(Unpooled.wrappedBuffer(body));
        if (decoded instanceof Decoded.Ok ok) {
            return ok.message();
        }
        throw new IOException("malformed frame: " + decoded);
    }

    /**
     * True once the server closed the connection (end of stream or reset); reads and drops whatever it sent before.
     * Waits at most {@code millis} for news.
     */
    public boolean closedByServer(int millis) {
        try {
            socket.setSoTimeout(millis);
            byte[] sink = new byte[64 * 1024];
            for (int i = 0; i < 1_000; i++) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
