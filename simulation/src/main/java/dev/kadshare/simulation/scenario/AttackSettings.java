package dev.kadshare.simulation.scenario;

import java.time.Duration;

/**
 * An attack run: {@code nodes} in all, {@code adversaryFraction} of them adversarial, placed next to the target keys
 * or at random ids ({@link Placement}); {@code targetKeys} announced by honest nodes and looked up {@code lookups} times;
 * {@code keywordKeys} each with one honest record, flooded by {@code flooders} adversarial IPs; {@code spoofed}
 * requests from one spoofed address.
 */
public record AttackSettings(int nodes, double adversaryFraction, Placement placement, int targetKeys, int lookups,
                             int keywordKeys, int flooders, int spoofed, int joinConcurrency, int lookupConcurrency,
                             long seed, Duration timeout) {
    /** How far the adversaries may choose their ids, and so what they can lie about. */
    public enum Placement {
        /**
         * No id rule (the code today): ids next to the target keys, spread evenly over them, and lies naming made-up
         * ids next to any key, answered by colluders.
         */
        NEAR_TARGETS,
        /**
         * Ids bound to a key or an address (SHA-256 of a proven key, BEP 42): random ids, each adversary answering as
         * its own only, lies naming real colluders. What the identity work brings, modelled here ahead of it.
         */
        RANDOM
    }

    /** Announcements each flooder sends per target key and holder (all from one IP: one entry per key survives). */
    static final int FLOOD_PORTS = 5;
    /** Records each flooder puts per keyword key and holder (more than the 4 a source keeps per key). */
    static final int FLOOD_RECORDS = 6;
    /** Honest nodes closest to a key that a flooder floods (it knows the whole network: the strongest case). */
    static final int FLOODED_HOLDERS = 20;

    public AttackSettings {
        if (nodes < 10 || adversaryFraction < 0 || adversaryFraction >= 0.9 || targetKeys < 1 || lookups < 1
                || keywordKeys < 1 || flooders < 0 || spoofed < 0) {
            throw new IllegalArgumentException("need --nodes >= 10, 0 <= --adversaries < 0.9 and positive counts");
        }
    }
}
