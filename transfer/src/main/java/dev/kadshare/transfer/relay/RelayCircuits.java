package dev.kadshare.transfer.relay;

import dev.kadshare.net.HostPrefix;
import dev.kadshare.transfer.CapCounts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A relay's bookkeeping, I/O-free: the sharers waiting under their announced address (one connection each, the
 * newest), the getters waiting a moment for a sharer to reserve, and the circuits open, all within {@link RelayCaps}.
 * A circuit counts against the host of each end ({@link HostPrefix}): the getter's from its CONNECT on (waiting
 * included), the sharer's (the IP of its reservation) once joined; a reservation counts against the sharer's host
 * while it waits. Every refusal and every circuit cut at its byte cap is counted. {@code C} is whatever stands for a
 * connection. Not thread-safe: its owner serialises calls.
 */
public final class RelayCircuits<C> {
    /** What a RESERVE comes to. */
    public sealed interface Reserved<C> {
        /** Waiting now; {@code replaced}, the sharer's earlier waiting connection, is to be closed. */
        record Waiting<C>(Optional<C> replaced) implements Reserved<C> {}

        /** A getter was already waiting for this sharer: the circuit between them is open. */
        record Joined<C>(C getter, Circuit circuit) implements Reserved<C> {}

        record Refused<C>(RelayStatus status) implements Reserved<C> {}
    }

    /** What a CONNECT comes to. */
    public sealed interface Connected<C> {
        /** The sharer's waiting connection is the other end of the new circuit. */
        record Joined<C>(C sharer, Circuit circuit) implements Connected<C> {}

        /** No sharer waits yet: the getter waits (its owner gives up after a while: {@link #gaveUp}). */
        record Waiting<C>() implements Connected<C> {}

        record Refused<C>(RelayStatus status) implements Connected<C> {}
    }

    /** One relayed pair's byte count against its cap; both directions count. */
    public static final class Circuit {
        private final long cap;
        /** The hosts of its ends, getter's first: the same one twice for a circuit to itself. */
        private final List<HostPrefix> ends;
        private long bytes;
        private boolean open = true;

        Circuit(long cap, List<HostPrefix> ends) {
            this.cap = cap;
            this.ends = ends;
        }

        /** Counts {@code n} more bytes carried; false once past the cap (the circuit is to be closed). */
        public boolean carry(long n) {
            bytes += n;
            return bytes <= cap;
        }

        public long bytes() {
            return bytes;
        }
    }

    /** Counts for status. */
    public record Snapshot(int circuits, int reservations, int waitingGetters, long circuitsOpened, long bytesRelayed,
            long cutAtByteCap, Map<RelayStatus, Long> refused) {}

    /** A getter waiting for its sharer, and the host it came from. */
    private record WaitingGetter<C>(C getter, HostPrefix host) {}

    private final RelayCaps caps;
    private final Map<InetSocketAddress, C> reservations = new LinkedHashMap<>();
    private final Map<InetSocketAddress, WaitingGetter<C>> waitingGetters = new HashMap<>();
    /** Circuits each host is an end of, a waiting getter's included. */
    private final CapCounts<HostPrefix> circuitsPerHost;
    /** Reservations each host holds: the host of their key. */
    private final CapCounts<HostPrefix> reservationsPerHost;
    private final Map<RelayStatus, Long> refused = new EnumMap<>(RelayStatus.class);
    private int circuits;
    private long circuitsOpened;
    private long bytesRelayed;
    private long cutAtByteCap;

    public RelayCircuits(RelayCaps caps) {
        this.caps = caps;
        this.circuitsPerHost = new CapCounts<>(caps.maxCircuitsPerHost());
        this.reservationsPerHost = new CapCounts<>(caps.maxReservationsPerHost());
    }

    public RelayCaps caps() {
        return caps;
    }

    /** A sharer at {@code key} (its source IP, its announced port) waits on {@code sharer}; {@code offered}: we relay. */
    public Reserved<C> reserve(InetSocketAddress key, C sharer, boolean offered) {
        if (!offered) {
            return refuse(new Reserved.Refused<>(RelayStatus.NOT_OFFERED), RelayStatus.NOT_OFFERED);
        }
        WaitingGetter<C> waiting = waitingGetters.get(key);
        if (waiting != null) {
            // The getter was counted against the circuits, and its host, when it came; the sharer's host counts now.
            HostPrefix sharerHost = hostOf(key);
            if (!circuitsPerHost.fits(sharerHost)) {
                return refuse(new Reserved.Refused<>(RelayStatus.HOST_CIRCUITS_FULL), RelayStatus.HOST_CIRCUITS_FULL);
            }
            waitingGetters.remove(key);
            circuitsPerHost.add(sharerHost);
            return new Reserved.Joined<>(waiting.getter(), open(List.of(waiting.host(), sharerHost)));
        }
        if (!reservations.containsKey(key)) {
            // A newer reservation under the same key replaces the older: only a new key counts.
            if (reservations.size() >= caps.maxReservations()) {
                return refuse(new Reserved.Refused<>(RelayStatus.RESERVATIONS_FULL), RelayStatus.RESERVATIONS_FULL);
            }
            if (!reservationsPerHost.fits(hostOf(key))) {
                return refuse(new Reserved.Refused<>(RelayStatus.HOST_RESERVATIONS_FULL),
                        RelayStatus.HOST_RESERVATIONS_FULL);
            }
            reservationsPerHost.add(hostOf(key));
        }
        return new Reserved.Waiting<>(Optional.ofNullable(reservations.put(key, sharer)));
    }

    /** The sharer's waiting connection {@code sharer} closed (or timed out). */
    public void unreserved(InetSocketAddress key, C sharer) {
        if (reservations.remove(key, sharer)) {
            reservationsPerHost.remove(hostOf(key));
        }
    }

    /** A getter on {@code getter}, connected from {@code from}, asks for the sharer reserved under {@code key}. */
    public Connected<C> connect(InetSocketAddress key, C getter, InetAddress from, boolean offered) {
        if (!offered) {
            return refuse(new Connected.Refused<>(RelayStatus.NOT_OFFERED), RelayStatus.NOT_OFFERED);
        }
        // A waiting getter holds a circuit's place: once joined, it is one.
        if (circuits + waitingGetters.size() >= caps.maxCircuits()) {
            return refuse(new Connected.Refused<>(RelayStatus.CIRCUITS_FULL), RelayStatus.CIRCUITS_FULL);
        }
        HostPrefix getterHost = HostPrefix.of(from);
        C sharer = reservations.get(key);
        List<HostPrefix> ends = sharer == null ? List.of(getterHost)
                : List.of(getterHost, hostOf(key));
        if (!circuitsPerHost.fits(ends)) {
            return refuse(new Connected.Refused<>(RelayStatus.HOST_CIRCUITS_FULL), RelayStatus.HOST_CIRCUITS_FULL);
        }
        if (sharer != null) {
            reservations.remove(key);
            reservationsPerHost.remove(hostOf(key));
            circuitsPerHost.count(ends, 1);
            return new Connected.Joined<>(sharer, open(ends));
        }
        if (waitingGetters.containsKey(key)) {
            // One getter waits per sharer: the relay is no queue.
            return refuse(new Connected.Refused<>(RelayStatus.NO_RESERVATION), RelayStatus.NO_RESERVATION);
        }
        waitingGetters.put(key, new WaitingGetter<>(getter, getterHost));
        circuitsPerHost.count(ends, 1);
        return new Connected.Waiting<>();
    }

    /** The getter on {@code getter} waited long enough (or left): true if it was still waiting, now refused. */
    public boolean gaveUp(InetSocketAddress key, C getter) {
        WaitingGetter<C> waiting = waitingGetters.get(key);
        if (waiting == null || !waiting.getter().equals(getter)) {
            return false;
        }
        waitingGetters.remove(key);
        circuitsPerHost.remove(waiting.host());
        refused.merge(RelayStatus.NO_RESERVATION, 1L, Long::sum);
        return true;
    }

    /** A circuit closed, having carried {@code circuit.bytes()}; {@code atByteCap}: cut for passing its cap. */
    public void closed(Circuit circuit, boolean atByteCap) {
        if (!circuit.open) {
            return;
        }
        circuit.open = false;
        circuits--;
        circuitsPerHost.count(circuit.ends, -1);
        bytesRelayed += circuit.bytes;
        if (atByteCap) {
            cutAtByteCap++;
        }
    }

    /** A request refused before it came to the bookkeeping (malformed, another version): counted too. */
    public void refused(RelayStatus status) {
        refused.merge(status, 1L, Long::sum);
    }

    public Snapshot snapshot() {
        return new Snapshot(circuits, reservations.size(), waitingGetters.size(), circuitsOpened, bytesRelayed,
                cutAtByteCap, Map.copyOf(refused));
    }

    private Circuit open(List<HostPrefix> ends) {
        circuits++;
        circuitsOpened++;
        return new Circuit(caps.bytesPerCircuit(), ends);
    }

    /** The host of {@code key}, a sharer's reservation: what the reservation, and the sharer's end, count against. */
    private static HostPrefix hostOf(InetSocketAddress key) {
        return HostPrefix.of(key.getAddress());
    }

    private <R> R refuse(R answer, RelayStatus status) {
        refused.merge(status, 1L, Long::sum);
        return answer;
    }
}
