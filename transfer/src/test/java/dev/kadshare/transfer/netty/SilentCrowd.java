package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that say HELLO for a content, read the server's HELLO and BITFIELD (so they have joined its hub) and
 * then neither ask nor read anything: what a crowd of silent peers costs an initial seeder. Plain blocking sockets
 * on 127.0.0.1, opened one after the other; {@link #close} closes them all.
 */
public final class SilentCrowd implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    public static SilentCrowd join(InetSocketAddress server, ContentId id, int count) throws IOException {
        SilentCrowd crowd = new SilentCrowd();
        FrameCodec codec = new FrameCodec();
        ByteBuf hello = codec.encode(new Message.Hello(FrameCodec.PROTOCOL_VERSION, PeerId.UNKNOWN, id, 0),
                UnpooledByteBufAllocator.DEFAULT);
        byte[] helloBytes = ByteBufUtil.getBytes(hello);
        hello.release();
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                crowd.sockets.add(s);
                s.connect(server, 10_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(helloBytes);
                DataInputStream in = new DataInputStream(s.getInputStream());
                for (int frame = 0; frame < 2; frame++) { // HELLO, BITFIELD: it has joined
                    int length = in.readInt();
                    in.skipNBytes(length);
                }
            }
        } catch (IOException | RuntimeException e) {
            crowd.close();
            throw e;
        }
        return crowd;
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
