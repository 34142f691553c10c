package dev.kadshare.dht.store;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer announced under a key: its address and, if its announcement gave one, the public key of its transfer link.
 * A store holds many of these, so the key is kept as one 32-byte array (or a shared empty one), not an object more.
 */
public final class AnnouncedPeer {
    private static final byte[] NO_KEY = new byte[0];

    private final InetSocketAddress address;
    private final byte[] linkKey;

    private AnnouncedPeer(InetSocketAddress address, byte[] linkKey) {
        this.address = Objects.requireNonNull(address);
        this.linkKey = linkKey;
    }

    public static AnnouncedPeer of(InetSocketAddress address, Optional<LinkKey> linkKey) {
        return new AnnouncedPeer(address, linkKey.map(LinkKey::shared).orElse(NO_KEY));
    }

    /** A peer that announced no link key. */
    public static AnnouncedPeer of(InetSocketAddress address) {
        return new AnnouncedPeer(address, NO_KEY);
    }

    public InetSocketAddress address() {
        return address;
    }

    public Optional<LinkKey> linkKey() {
        return linkKey.length == 0 ? Optional.empty() : Optional.of(LinkKey.wrap(linkKey));
    }

    /** The bytes this entry takes in a PEERS reply: its address, then the key's length byte and the key. */
    public int wireSize() {
        return 1 + address.getAddress().getAddress().length + 2 + 1 + linkKey.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnouncedPeer other && address.equals(other.address) && Arrays.equals(linkKey, other.linkKey);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + Arrays.hashCode(linkKey);
    }

    @Override
    public String toString() {
        return linkKey().map(k -> address + " key " + k).orElse(address.toString());
    }
}
