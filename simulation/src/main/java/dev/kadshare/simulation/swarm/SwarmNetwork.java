package dev.kadshare.simulation.swarm;

import dev.kadshare.simulation.virtual.LatencyModel;
import dev.kadshare.simulation.virtual.Pipe;
import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The network of a virtual swarm: connections between downloaders and servers, control messages after the pair's
 * one-way latency, chunks through the receiver's download {@link Pipe} (the sender's upload pipe is its server's),
 * landing once both pipes are through and the latency has passed. Messages on one connection arrive in the order
 * they were sent (fixed latency per pair; ties run in scheduling order), and a server's never before the chunks it
 * sent ahead of them (its {@link ServingHost} says when those land). Host {@code h} is at
 * {@link #address(int)}, a loopback address that nothing ever dials for real.
 */
public final class SwarmNetwork {
    private static final int PORT = 7000;

    private final VirtualClock clock;
    private final LatencyModel latency;
    private final Pipe[] down;
    private final ServingHost[] servers;
    private final DownloadingHost[] downloaders;
    /**
     * One address object per host, which every download that knows the host shares: the cores look peers up by
     * address on every message, and a thousand hosts' addresses stay in the CPU's cache where 40,000 copies do not.
     */
    private final InetSocketAddress[] addresses;
    /** Every connection ever dialled, by id. */
    private final List<Connection> connections = new ArrayList<>();

    /** @param downloadBytesPerSecond each host's download capacity */
    public SwarmNetwork(VirtualClock clock, LatencyModel latency, int hosts, double downloadBytesPerSecond) {
        this.clock = clock;
        this.latency = latency;
        this.down = new Pipe[hosts];
        this.servers = new ServingHost[hosts];
        this.downloaders = new DownloadingHost[hosts];
        this.addresses = new InetSocketAddress[hosts];
        for (int h = 0; h < hosts; h++) {
            down[h] = new Pipe(downloadBytesPerSecond);
            addresses[h] = newAddress(h);
        }
    }

    /** Host {@code host}'s address: in 127.0.0.0/8, one per host, the same port for all. */
    public InetSocketAddress address(int host) {
        return addresses[host];
    }

    private static InetSocketAddress newAddress(int host) {
        int n = host + 1;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, (byte) (n >>> 16), (byte) (n >>> 8),
                    (byte) n}), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host " + host, e); // four bytes are always an address
        }
    }

    /** The host at {@code address}. */
    static int host(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return ((ip[1] & 0xFF) << 16 | (ip[2] & 0xFF) << 8 | (ip[3] & 0xFF)) - 1;
    }

    VirtualClock clock() {
        return clock;
    }

    void attach(ServingHost server) {
        servers[server.host()] = server;
    }

    void attach(DownloadingHost downloader) {
        downloaders[downloader.host()] = downloader;
    }

    /**
     * The node id the link handshake would prove for {@code host}'s end (the simulation runs no cryptography: the
     * ids it gave its hosts are taken as proven).
     */
    PeerId provenId(int host, boolean serving) {
        if (serving) {
            return servers[host] == null ? PeerId.UNKNOWN : servers[host].nodeId();
        }
        return downloaders[host] == null ? PeerId.UNKNOWN : downloaders[host].nodeId();
    }

    /** A downloader dials {@code link}: the connection is up at its end after a round trip (SYN, SYN-ACK). */
    Connection dial(int downloader, Link link) {
        int server = host(link.peer());
        Connection c = new Connection(connections.size(), downloader, server, link, latency.nanos(downloader, server));
        connections.add(c);
        clock.scheduleNanos(2 * c.latencyNanos, () -> downloaders[downloader].connected(c));
        return c;
    }

    Connection connection(int id) {
        return connections.get(id);
    }

    void toServer(Connection c, Message message) {
        clock.scheduleNanos(c.latencyNanos, () -> servers[c.server].received(c, message));
    }

    void toDownloader(Connection c, Message message) {
        toDownloader(c, message, 0);
    }

    /** A message the server wrote behind a chunk landing at {@code notBeforeNanos}: TCP delivers it after that. */
    void toDownloader(Connection c, Message message, long notBeforeNanos) {
        clock.scheduleNanos(Math.max(c.latencyNanos, notBeforeNanos - clock.nanos()),
                () -> downloaders[c.downloader].received(c, message));
    }

    /** The downloader closed {@code c}: its server hears of it after the latency. */
    void closedByDownloader(Connection c) {
        clock.scheduleNanos(c.latencyNanos, () -> servers[c.server].closed(c));
    }

    /**
     * The server closed {@code c}, after whatever it sent (the last of it landing at {@code notBeforeNanos}): the
     * downloader hears of it after the latency, and after that.
     */
    void closedByServer(Connection c, long notBeforeNanos) {
        clock.scheduleNanos(Math.max(c.latencyNanos, notBeforeNanos - clock.nanos()),
                () -> downloaders[c.downloader].closedByPeer(c));
    }

    /**
     * The server starts sending chunk {@code index} on {@code c}, its last byte leaving its upload pipe at
     * {@code sendEndNanos}: the receiver's download pipe is taken from now, and the chunk lands once both are
     * through and the latency has passed. Returns when it lands.
     */
    long chunk(Connection c, int index, int bytes, long sendEndNanos) {
        long receiveEnd = down[c.downloader].reserve(clock.nanos(), bytes);
        long lands = Math.max(sendEndNanos, receiveEnd) + c.latencyNanos;
        clock.scheduleNanos(lands - clock.nanos(), () -> downloaders[c.downloader].chunkArrived(c, index, bytes));
        return lands;
    }
}
