package dev.kadshare.transfer.relay;

/**
 * What a relay carries at most: circuits (relayed pairs) at once, circuits one host is an end of at once (an IPv4
 * address, a public IPv6 /64: {@link dev.kadshare.net.HostPrefix}), sharers waiting for a getter, sharers of one host
 * waiting, bytes per circuit
 * (both ways together; the circuit is closed there, and the downloader goes on through a new one), and bytes per
 * second each way of a circuit (0: unlimited). The defaults let whole files through, as hyperdht's relays do, not only
 * signalling, as libp2p's circuit relay v2 limits (2 min, 128 KiB) are meant for.
 */
public record RelayCaps(int maxCircuits, int maxCircuitsPerHost, int maxReservations, int maxReservationsPerHost,
        long bytesPerCircuit, long bytesPerSecondPerCircuit) {
    public static final int DEFAULT_CIRCUITS = 16;
    /**
     * A host is an end of 2 circuits at once, counted once as getter and once as sharer, so a circuit to itself
     * counts twice: enough for a getter fetching from two sharers through one relay, or a sharer served to two
     * getters, and a relay's 16 circuits then take 16 hosts to hold, where 8 held them all (each at the 4 connections
     * a server lets one host keep, as 2 circuits to itself) and kept every other node from the relay.
     */
    public static final int DEFAULT_CIRCUITS_PER_HOST = 2;
    public static final int DEFAULT_RESERVATIONS = 256;
    /**
     * A host waits under 2 addresses at once (its IP and a port each): a node waits at a relay on one connection,
     * under the one port it announces, so 2 leave room for a second node behind the same NAT, or for a node restarted
     * on another port before its old connection is closed; and a relay's 256 reservations then take 128 hosts to
     * hold, where 64 held them all (each at the 4 connections a server lets one host keep) and no other sharer behind
     * a NAT could wait at the relay.
     */
    public static final int DEFAULT_RESERVATIONS_PER_HOST = 2;
    public static final long DEFAULT_BYTES_PER_CIRCUIT = 1L << 30;
    public static final long DEFAULT_BYTES_PER_SECOND = 4L << 20;

    public RelayCaps {
        if (maxCircuits < 1 || maxCircuitsPerHost < 1 || maxReservations < 1 || maxReservationsPerHost < 1
                || bytesPerCircuit < 1 || bytesPerSecondPerCircuit < 0) {
            throw new IllegalArgumentException("relay caps must be positive: " + maxCircuits + ", " + maxCircuitsPerHost
                    + ", " + maxReservations + ", " + maxReservationsPerHost + ", " + bytesPerCircuit + ", "
                    + bytesPerSecondPerCircuit);
        }
    }

    public static RelayCaps defaults() {
        return new RelayCaps(DEFAULT_CIRCUITS, DEFAULT_CIRCUITS_PER_HOST, DEFAULT_RESERVATIONS,
                DEFAULT_RESERVATIONS_PER_HOST, DEFAULT_BYTES_PER_CIRCUIT, DEFAULT_BYTES_PER_SECOND);
    }

    public RelayCaps withMaxCircuits(int n) {
        return new RelayCaps(n, maxCircuitsPerHost, maxReservations, maxReservationsPerHost, bytesPerCircuit,
                bytesPerSecondPerCircuit);
    }

    public RelayCaps withBytesPerCircuit(long n) {
        return new RelayCaps(maxCircuits, maxCircuitsPerHost, maxReservations, maxReservationsPerHost, n,
                bytesPerSecondPerCircuit);
    }

    public RelayCaps withBytesPerSecondPerCircuit(long n) {
        return new RelayCaps(maxCircuits, maxCircuitsPerHost, maxReservations, maxReservationsPerHost,
                bytesPerCircuit, n);
    }
}
