package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.token.WriteToken;

/**
 * Asks the receiver to drop the entry the sender's IP with {@code port} holds under {@code key}: the announcer
 * takes back its {@link AnnouncePeer}, so nobody is sent to dial it for that key any more. Accepted only with
 * a token the receiver issued to that IP, and it only ever removes that IP's own entry. Answered by
 * {@link PeerWithdrawn}.
 */
public record WithdrawPeer(long txId, NodeId sender, NodeId key, int port, WriteToken token)
        implements Request, PeerEntry {
    public WithdrawPeer {
        PeerEntry.validate(sender, key, port, token);
    }

    @Override
    public Class<PeerWithdrawn> responseType() {
        return PeerWithdrawn.class;
    }
}
