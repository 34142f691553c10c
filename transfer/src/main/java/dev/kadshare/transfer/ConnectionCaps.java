package dev.kadshare.transfer;

import dev.kadshare.net.HostPrefix;
import dev.kadshare.transfer.content.ContentId;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The connections a server holds, counted in total, per remote host (an IPv4 address, an IPv6 /64:
 * {@link HostPrefix}) and per content, against its {@link ConnectionLimits}: a connection is admitted only below every
 * cap. Thread-safe: connections on every event loop of a server count here.
 */
public final class ConnectionCaps {
    private final ConnectionLimits limits;
    private int total;
    private final CapCounts<HostPrefix> perHost;
    private final CapCounts<ContentId> perContent;

    public ConnectionCaps(ConnectionLimits limits) {
        this.limits = limits;
        this.perHost = new CapCounts<>(limits.maxConnectionsPerIp());
        this.perContent = new CapCounts<>(limits.maxConnectionsPerContent());
    }

    /**
     * Admits a new connection from {@code ip}: empty if admitted (then {@link #release} it once closed), else the
     * cap that refuses it, and nothing is counted.
     */
    public synchronized Optional<ConnectionDrop> admit(InetAddress ip) {
        HostPrefix host = HostPrefix.of(ip);
        Optional<ConnectionDrop> refused = refusal(host);
        if (refused.isEmpty()) {
            total++;
            perHost.add(host);
        }
        return refused;
    }

    /** The cap that would refuse a new connection from {@code ip} now, if any; counts nothing. */
    public synchronized Optional<ConnectionDrop> refusal(InetAddress ip) {
        return refusal(HostPrefix.of(ip));
    }

    private Optional<ConnectionDrop> refusal(HostPrefix host) {
        if (total >= limits.maxConnections()) {
            return Optional.of(ConnectionDrop.TOTAL_CAP);
        }
        if (!perHost.fits(host)) {
            return Optional.of(ConnectionDrop.IP_CAP);
        }
        return Optional.empty();
    }

    /** An admitted connection from {@code ip} closed. */
    public synchronized void release(InetAddress ip) {
        total--;
        perHost.remove(HostPrefix.of(ip));
    }

    /**
     * A connection said HELLO for {@code id}: empty if it may join (then {@link #leave} once it closes), else
     * {@link ConnectionDrop#CONTENT_CAP}.
     */
    public synchronized Optional<ConnectionDrop> join(ContentId id) {
        if (!perContent.fits(id)) {
            return Optional.of(ConnectionDrop.CONTENT_CAP);
        }
        perContent.add(id);
        return Optional.empty();
    }

    /** A connection that joined {@code id} closed. */
    public synchronized void leave(ContentId id) {
        perContent.remove(id);
    }

    /** Connections admitted and not yet released. */
    public synchronized int open() {
        return total;
    }
}
