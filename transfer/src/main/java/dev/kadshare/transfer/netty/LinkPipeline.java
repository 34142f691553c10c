package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.link.LinkSecurity;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Installs a connection's link (handshake, then records) in front of the transfer wire format. */
public final class LinkPipeline {
    private LinkPipeline() {
    }

    /**
     * Adds the link handshake for {@code security} ({@code dialled}: the address this side dialled; empty when it
     * accepted), or nothing for a plaintext link (measurement only).
     */
    public static void install(ChannelPipeline pipeline, LinkSecurity security, Optional<InetSocketAddress> dialled) {
        install(pipeline, security, dialled, Optional.empty());
    }

    /**
     * As {@link #install(ChannelPipeline, LinkSecurity, Optional)}, for a dialled connection whose IK handshake the
     * peer hangs up on: {@code redialWithXx} then replaces the connection (with the key forgotten, the next dial is
     * XX), and the handlers after the link never hear of this one.
     */
    static void install(ChannelPipeline pipeline, LinkSecurity security, Optional<InetSocketAddress> dialled,
            Optional<Runnable> redialWithXx) {
        if (security instanceof LinkSecurity.Encrypted encrypted) {
            pipeline.addLast(LinkHandshakeHandler.NAME, new LinkHandshakeHandler(encrypted, dialled, redialWithXx, false));
        }
    }

    /**
     * For a connection to {@code dialled} through a relay, which may answer the handshake itself: what it proves
     * teaches nothing about the address (no key or id is remembered for it, none forgotten or refuted), and an IK
     * handshake it fails is not followed by XX, which would let it answer as itself.
     */
    static void installThroughRelay(ChannelPipeline pipeline, LinkSecurity security, InetSocketAddress dialled) {
        if (security instanceof LinkSecurity.Encrypted encrypted) {
            pipeline.addLast(LinkHandshakeHandler.NAME,
                    new LinkHandshakeHandler(encrypted, Optional.of(dialled), Optional.empty(), true));
        }
    }
}
