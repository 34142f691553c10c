package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.RawPeer;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that run the link handshake, say HELLO for a content, read the server's HELLO and BITFIELD (so they
 * have joined its hub) and then neither ask nor read anything: what a crowd of silent peers costs an initial seeder.
 * Blocking sockets opened one after the other, four from each loopback address 127.0.0.2, 127.0.0.3 ... (a server
 * holds each address to a few connections); {@link #close} closes them all.
 */
public final class SilentCrowd implements AutoCloseable {
    /** Connections per source address: the server's default cap per IP. */
    private static final int PER_ADDRESS = 4;

    private final List<RawPeer> peers = new ArrayList<>();

    public static SilentCrowd join(InetSocketAddress server, ContentId id, int count) throws IOException {
        SilentCrowd crowd = new SilentCrowd();
        try {
            for (int i = 0; i < count; i++) {
                RawPeer peer = RawPeer.connect("127.0.0." + (2 + i / PER_ADDRESS), server);
                crowd.peers.add(peer);
                peer.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, id));
                peer.read(10_000); // HELLO
                peer.read(10_000); // BITFIELD: it has joined
            }
        } catch (IOException | RuntimeException e) {
            crowd.close();
            throw e;
        }
        return crowd;
    }

    @Override
    public void close() {
        for (RawPeer peer : peers) {
            try {
                peer.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
