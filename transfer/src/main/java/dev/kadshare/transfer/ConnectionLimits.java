package dev.kadshare.transfer;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link TransferServer} lets strangers hold: connections in total, per remote IP address and per content,
 * how long a connection may take to say HELLO or stay silent, and how many bytes of control messages it may leave
 * unread at the server.
 *
 * @param maxConnections open connections in total; one more is closed on accept
 * @param maxConnectionsPerIp open connections from one IP address (loopback included: a node that runs many peers
 *     on one address, as a test cluster does, raises it explicitly); one more is closed on accept
 * @param maxConnectionsPerContent connections that said HELLO for one content; one more is told GOODBYE
 * @param helloTimeout from accept (or from the link being established) to HELLO
 * @param idleTimeout nothing read and no write progress for this long closes the connection
 * @param outboundBudget bytes of control messages a connection may have queued at the server (written and not yet
 *     taken by the socket, or waiting for the channel to be writable); a peer that keeps asking without reading is
 *     closed when the next answer would pass it
 * @param floodBan when an address refused at {@code maxConnectionsPerIp} again and again is banned at the listener
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, int maxConnectionsPerContent,
        Duration helloTimeout, Duration idleTimeout, long outboundBudget, FloodBan floodBan) {
    public ConnectionLimits {
        Objects.requireNonNull(floodBan, "floodBan");
        Objects.requireNonNull(helloTimeout, "helloTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || maxConnectionsPerContent < 1 || !positive(helloTimeout)
                || !positive(idleTimeout) || outboundBudget < 1) {
            throw new IllegalArgumentException("connection limits " + maxConnections + ", " + maxConnectionsPerIp + ", "
                    + maxConnectionsPerContent + ", " + helloTimeout + ", " + idleTimeout + ", " + outboundBudget);
        }
    }

    /**
     * 512 connections, 4 per IP address, 200 per content; HELLO within 10 s, closed after 2 minutes idle; 4 MiB of
     * control messages queued per connection. 200 per content is four times a downloader's own cap on peers
     * ({@code DownloadOptions.maxPeers}); 4 per address lets one node fetch four contents from this one at once
     * (a fifth waits for its redial) while a single attacking host holds at most four sockets; a host that keeps
     * trying is banned at the listener as {@link FloodBan#defaults()} says.
     */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(512, 4, 200, Duration.ofSeconds(10), Duration.ofMinutes(2), 4L << 20,
                FloodBan.defaults());
    }

    public ConnectionLimits withMaxConnections(int total) {
        return new ConnectionLimits(total, maxConnectionsPerIp, maxConnectionsPerContent, helloTimeout, idleTimeout,
                outboundBudget, floodBan);
    }

    public ConnectionLimits withMaxConnectionsPerIp(int perIp) {
        return new ConnectionLimits(maxConnections, perIp, maxConnectionsPerContent, helloTimeout, idleTimeout,
                outboundBudget, floodBan);
    }

    public ConnectionLimits withMaxConnectionsPerContent(int perContent) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerIp, perContent, helloTimeout, idleTimeout,
                outboundBudget, floodBan);
    }

    public ConnectionLimits withTimeouts(Duration hello, Duration idle) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerIp, maxConnectionsPerContent, hello, idle,
                outboundBudget, floodBan);
    }

    public ConnectionLimits withOutboundBudget(long bytes) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerIp, maxConnectionsPerContent, helloTimeout,
                idleTimeout, bytes, floodBan);
    }

    public ConnectionLimits withFloodBan(FloodBan ban) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerIp, maxConnectionsPerContent, helloTimeout,
                idleTimeout, outboundBudget, ban);
    }

    /** Longer than zero (Duration.isPositive is Java 18's). */
    static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
