package dev.kadshare.transfer.relay;

/**
 * What a relay carries at most: circuits (relayed pairs) at once, sharers waiting for a getter, bytes per circuit
 * (both ways together; the circuit is closed there, and the downloader goes on through a new one), and bytes per
 * second each way of a circuit (0: unlimited). The defaults let whole files through, as hyperdht's relays do, not only
 * signalling, as libp2p's circuit relay v2 limits (2 min, 128 KiB) are meant for.
 */
public record RelayCaps(int maxCircuits, int maxReservations, long bytesPerCircuit, long bytesPerSecondPerCircuit) {
    public static final int DEFAULT_CIRCUITS = 16;
    public static final int DEFAULT_RESERVATIONS = 256;
    public static final long DEFAULT_BYTES_PER_CIRCUIT = 1L << 30;
    public static final long DEFAULT_BYTES_PER_SECOND = 4L << 20;

    public RelayCaps {
        if (maxCircuits < 1 || maxReservations < 1 || bytesPerCircuit < 1 || bytesPerSecondPerCircuit < 0) {
            throw new IllegalArgumentException("relay caps must be positive: " + maxCircuits + ", " + maxReservations
                    + ", " + bytesPerCircuit + ", " + bytesPerSecondPerCircuit);
        }
    }

    public static RelayCaps defaults() {
        return new RelayCaps(DEFAULT_CIRCUITS, DEFAULT_RESERVATIONS, DEFAULT_BYTES_PER_CIRCUIT, DEFAULT_BYTES_PER_SECOND);
    }

    public RelayCaps withMaxCircuits(int n) {
        return new RelayCaps(n, maxReservations, bytesPerCircuit, bytesPerSecondPerCircuit);
    }

    public RelayCaps withBytesPerCircuit(long n) {
        return new RelayCaps(maxCircuits, maxReservations, n, bytesPerSecondPerCircuit);
    }

    public RelayCaps withBytesPerSecondPerCircuit(long n) {
        return new RelayCaps(maxCircuits, maxReservations, bytesPerCircuit, n);
    }
}
