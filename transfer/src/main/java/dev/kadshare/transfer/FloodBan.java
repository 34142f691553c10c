package dev.kadshare.transfer;

import java.time.Duration;
import java.util.Objects;

/**
 * When an address counts as flooding a listener, and for how long it is then banned: refused at its cap per address
 * {@code refusals} times within {@code window}. Only a completed TCP handshake is refused at the cap, so the address
 * has proven it receives there: a spoofed source cannot get another host banned.
 *
 * @param refusals refusals at the cap per address within the window that ban it
 * @param window how far back refusals count
 * @param duration how long the kernel then drops every packet it sends to the listener
 */
public record FloodBan(int refusals, Duration window, Duration duration) {
    public FloodBan {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(duration, "duration");
        if (refusals < 1 || !ConnectionLimits.positive(window) || !ConnectionLimits.positive(duration)) {
            throw new IllegalArgumentException("flood ban " + refusals + " in " + window + " for " + duration);
        }
    }

    /**
     * 64 refusals within 10 s ban an address for 5 minutes. An honest node over its cap (a fifth content from the
     * same node at once) is refused once per redial, seconds apart; 64 in 10 s is a tool, not a node.
     */
    public static FloodBan defaults() {
        return new FloodBan(64, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }
}
