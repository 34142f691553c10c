package dev.kadshare.dht.node;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Round-trip estimates per contact, as TCP keeps them (RFC 6298: smoothed RTT, RTT variance, timeout =
 * SRTT + 4 RTTVAR, between a floor and a ceiling), and one for the node as a whole that a contact without
 * samples of its own gets. Per contact it is a small lossy cache (a slot per address hash, a newer contact
 * takes the slot over), so a node in a network of any size holds a fixed few hundred bytes of it.
 */
final class RoundTripTimes {
    private static final int SLOTS = 64;
    /** RFC 6298's first timeout, before any sample. */
    private static final long INITIAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final long floorNanos;
    private final long ceilingNanos;
    private final int[] owner = new int[SLOTS];
    /** Microseconds, so a slot is three ints; 0 = empty. */
    private final int[] srttMicros = new int[SLOTS];
    private final int[] varMicros = new int[SLOTS];
    private long nodeSrtt;
    private long nodeVar;

    RoundTripTimes(Duration floor, Duration ceiling) {
        this.floorNanos = floor.toNanos();
        this.ceilingNanos = ceiling.toNanos();
    }

    /** One measured round trip to {@code to}. */
    void sample(InetSocketAddress to, long rttNanos) {
        long rtt = Math.max(1, rttNanos / 1000);
        int key = to.hashCode();
        int slot = slotOf(key);
        if (owner[slot] != key || srttMicros[slot] == 0) {
            owner[slot] = key;
            srttMicros[slot] = (int) Math.min(Integer.MAX_VALUE, rtt);
            varMicros[slot] = (int) Math.min(Integer.MAX_VALUE, rtt / 2);
        } else {
            long srtt = srttMicros[slot];
            long var = varMicros[slot];
            var = (3 * var + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
            srttMicros[slot] = (int) Math.min(Integer.MAX_VALUE, srtt);
            varMicros[slot] = (int) Math.min(Integer.MAX_VALUE, var);
        }
        if (nodeSrtt == 0) {
            nodeSrtt = rtt;
            nodeVar = rtt / 2;
        } else {
            nodeVar = (3 * nodeVar + Math.abs(nodeSrtt - rtt)) / 4;
            nodeSrtt = (7 * nodeSrtt + rtt) / 8;
        }
    }

    /** How long to wait for {@code to} before giving its slot to someone else. */
    Duration timeoutFor(InetSocketAddress to) {
        int key = to.hashCode();
        int slot = slotOf(key);
        long micros;
        if (owner[slot] == key && srttMicros[slot] != 0) {
            micros = srttMicros[slot] + 4L * varMicros[slot];
        } else if (nodeSrtt != 0) {
            micros = nodeSrtt + 4 * nodeVar;
        } else {
            return Duration.ofNanos(Math.max(floorNanos, Math.min(ceilingNanos, INITIAL_NANOS)));
        }
        return Duration.ofNanos(Math.max(floorNanos, Math.min(ceilingNanos, micros * 1000)));
    }

    private static int slotOf(int key) {
        int h = key * 0x9E3779B9;
        return (h >>> 26) & (SLOTS - 1);
    }
}
