package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.relay.RelayCaps;
import dev.kadshare.transfer.relay.RelayCircuits;
import dev.kadshare.transfer.relay.RelayStatus;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A node's relay: joins a getter's connection to the waiting connection of the sharer it asks for, and copies the
 * bytes between them (the peers' encrypted link runs end to end through it: the relay sees ciphertext only), within
 * its {@link RelayCaps}. Offered only while {@code offered} says so (the node finds itself publicly reachable).
 * Thread-safe: connections on every event loop share its {@link RelayCircuits}.
 */
public final class RelayService {
    /** How long a getter waits for the sharer it asks for to reserve (its introduction may still be on the way). */
    static final Duration GETTER_WAIT = Duration.ofSeconds(5);
    /** A sharer waits this long at most for a getter, then reserves again when introduced again. */
    static final Duration RESERVATION_TTL = Duration.ofMinutes(10);
    /** A byte to a waiting sharer this often keeps its NAT's TCP mapping (and our idle close) from expiring. */
    static final Duration KEEPALIVE = Duration.ofSeconds(20);

    private final RelayCircuits<Channel> circuits;
    private final BooleanSupplier offered;

    public RelayService(RelayCaps caps, BooleanSupplier offered) {
        this.circuits = new RelayCircuits<>(caps);
        this.offered = offered;
    }

    /** Whether this node relays now. */
    public boolean offered() {
        return offered.getAsBoolean();
    }

    public RelayCaps caps() {
        return circuits.caps();
    }

    public synchronized RelayCircuits.Snapshot snapshot() {
        return circuits.snapshot();
    }

    synchronized RelayCircuits.Reserved<Channel> reserve(InetSocketAddress key, Channel sharer) {
        return circuits.reserve(key, sharer, offered());
    }

    synchronized void unreserved(InetSocketAddress key, Channel sharer) {
        circuits.unreserved(key, sharer);
    }

    synchronized RelayCircuits.Connected<Channel> connect(InetSocketAddress key, Channel getter, InetAddress from) {
        return circuits.connect(key, getter, from, offered());
    }

    synchronized boolean gaveUp(InetSocketAddress key, Channel getter) {
        return circuits.gaveUp(key, getter);
    }

    synchronized void refused(RelayStatus status) {
        circuits.refused(status);
    }

    synchronized boolean carry(RelayCircuits.Circuit circuit, long bytes) {
        return circuit.carry(bytes);
    }

    synchronized void closed(RelayCircuits.Circuit circuit, boolean atByteCap) {
        circuits.closed(circuit, atByteCap);
    }
}
