package dev.kadshare.transfer;

import dev.kadshare.transfer.wire.Decoded;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A blocking TCP client that speaks the transfer frames by hand, from a chosen loopback source address (Linux routes
 * all of 127.0.0.0/8 on loopback): the stranger a server must hold to its limits.
 */
public final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final FrameCodec codec = new FrameCodec();

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
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
        out.write(frame(message));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next message, waiting at most {@code millis}. */
    public Message read(int millis) throws IOException {
        socket.setSoTimeout(millis);
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
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
