package dev.kadshare.simulation.swarm;

import dev.kadshare.transfer.download.Link;

/**
 * One TCP connection of the virtual swarm: a downloader's {@code Download} dialled a host's server. The core knows
 * it by its {@link Link}; each end keeps its own view of it, as two sockets would.
 */
final class Connection {
    /** Numbers the connections in dial order: what an upload queue knows a requester by. */
    final int id;
    final int downloader;
    final int server;
    final Link link;
    /** The pair's one-way latency, each way, looked up once. */
    final long latencyNanos;

    // ---- the downloader's end ----
    /** Neither closed by the download nor heard closed. */
    boolean openAtDownloader = true;

    // ---- the server's end ----
    /** The server closed it, or heard the downloader did: nothing more is served on it. */
    boolean closedAtServer;
    /** The server is not serving it now (CHOKE sent); its requests are rejected. */
    boolean choked;
    /** It competes for one of the server's upload slots (it is not rationed by initial seeding). */
    boolean inSlots;
    /** The server's initial seeding decides what it is told (the seeder, during its first round). */
    boolean seeded;

    Connection(int id, int downloader, int server, Link link, long latencyNanos) {
        this.id = id;
        this.downloader = downloader;
        this.server = server;
        this.link = link;
        this.latencyNanos = latencyNanos;
    }

    @Override
    public int hashCode() {
        return id; // never the identity hash: keeps any hashed collection's order a function of the seed
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public String toString() {
        return "connection " + id + " (" + downloader + " -> " + server + ")";
    }
}
