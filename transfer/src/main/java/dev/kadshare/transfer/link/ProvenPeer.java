package dev.kadshare.transfer.link;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.noise.Pattern;

/** Who is at the other end of a link, as its handshake proved: its node id and its Noise static key. */
public record ProvenPeer(PeerId nodeId, byte[] staticKey, Pattern pattern) {
    public ProvenPeer {
        staticKey = staticKey.clone();
    }

    @Override
    public byte[] staticKey() {
        return staticKey.clone();
    }
}
