package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.nat.NatShares;
import java.time.Duration;

/**
 * A NAT run: the network ({@code lookup} holds its size, seed, concurrency and phase time; its keys and lookups are
 * this run's pairs), the share of hosts behind each kind of NAT, and how long the network idles between the
 * announcements and the first connection (so the announcers' keepalives, not fresh flows, keep their routers open).
 */
public record NatSettings(LookupSettings lookup, NatShares shares, Duration idle) {
    public NatSettings {
        if (idle.isNegative()) {
            throw new IllegalArgumentException("the idle time cannot be negative");
        }
    }

    /** Getter/sharer pairs connected. */
    public int pairs() {
        return lookup.lookups();
    }
}
