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
        if (security instanceof LinkSecurity.Encrypted encrypted) {
            pipeline.addLast(LinkHandshakeHandler.NAME, new LinkHandshakeHandler(encrypted, dialled));
        }
    }
}
