package dev.kadshare.transfer.link;

import dev.kadshare.transfer.ConnectionDrops;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/** How a server's or a download's connections are secured: encrypted links, or plaintext for measurement only. */
public sealed interface LinkSecurity {
    /**
     * Every connection starts with the link handshake as {@code identity}, then carries records.
     *
     * @param known shared by a node's downloads: who was proven at which address, for IK and expected ids
     * @param hints shared by a node's downloads: static keys the DHT named for addresses, for IK on a first dial
     * @param drops where refusals and closes are counted
     * @param random the ephemeral keys' randomness (a SecureRandom)
     * @param sealed the memory all the links' records sealed ahead of their sockets share
     */
    record Encrypted(LinkIdentity identity, KnownKeys known, KeyHints hints, ConnectionDrops drops, RandomGenerator random,
            SealedBytes sealed) implements LinkSecurity {
        /** Links with no hints from the DHT (tests and tools that have none), sealing ahead within the default bound. */
        public Encrypted(LinkIdentity identity, KnownKeys known, ConnectionDrops drops, RandomGenerator random) {
            this(identity, known, new KeyHints(DEFAULT_HINTS), drops, random, new SealedBytes(SealedBytes.DEFAULT_BOUND));
        }

        /** The same links, their records sealed ahead within {@code sealed}. */
        public Encrypted withSealed(SealedBytes sealed) {
            return new Encrypted(identity, known, hints, drops, random, sealed);
        }
    }

    /** How many addresses' hints a node keeps. */
    int DEFAULT_HINTS = 4096;

    /**
     * No handshake and no encryption: the transfer protocol straight on TCP, peers' node ids unknown. Only the
     * transfer benchmark's paired run uses it, to measure what encryption costs; no node, CLI option or setting can.
     */
    record PlaintextForMeasurement() implements LinkSecurity {
    }

    /** Encrypted links as a fresh identity nobody knows (tests and tools that need no stable identity). */
    static Encrypted ephemeral() {
        SecureRandom random = new SecureRandom();
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return new Encrypted(LinkIdentity.fromSeed(seed), new KnownKeys(1024), new ConnectionDrops(), random);
    }

    /** A node's links: its identity, the keys its downloads learn, its drop counts, a SecureRandom. */
    static Encrypted of(LinkIdentity identity, KnownKeys known, ConnectionDrops drops) {
        return new Encrypted(identity, known, drops, new SecureRandom());
    }
}
