package dev.kadshare.dht.identity;

import java.util.Optional;

/**
 * Derives the key two nodes authenticate their answers with, from one's DHT key and the other's public key: the one
 * costly step of the handshake, so a port, through which a simulation of many nodes in one JVM derives each pair's key
 * once for both ends ({@link X25519SessionKeys} is what a node uses).
 */
public interface SessionKeys {
    /** The 32-byte session key of {@code ours} and {@code theirPublic}, or empty when theirs is no usable key. */
    Optional<byte[]> derive(DhtKey ours, byte[] theirPublic);
}
