package dev.kadshare.simulation.swarm;

import dev.kadshare.transfer.download.Link;
import dev.kadshare.transfer.serving.SessionId;
import dev.kadshare.transfer.wire.Message;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One TCP connection of the virtual swarm: a downloader's {@code Download} dialled a host's server. The core knows
 * it by its {@link Link}, the server's hub by its {@link SessionId}; each end keeps its own view of whether it is
 * open, as two sockets would.
 */
final class Connection {
    /** Numbers the connections in dial order: what an upload queue knows a requester by. */
    final int id;
    final int downloader;
    final int server;
    final Link link;
    /** What the server's hub knows it by: its id. */
    final SessionId session;
    /** The pair's one-way latency, each way, looked up once. */
    final long latencyNanos;

    // ---- the downloader's end ----
    /** Neither closed by the download nor heard closed. */
    boolean openAtDownloader = true;

    // ---- the server's end ----
    /** The server closed it, or heard the downloader did: nothing more is served on it. */
    boolean closedAtServer;
    /**
     * One entry per chunk the server handed to its upload queue and not yet started, in order: the messages it wrote
     * after that chunk (and before the next), which TCP delivers after the chunk.
     */
    final ArrayDeque<List<Message>> writtenBehindChunks = new ArrayDeque<>();
    /** When the last chunk the server started sending lands: nothing it writes after can arrive before. */
    long lastChunkLandsNanos;

    Connection(int id, int downloader, int server, Link link, long latencyNanos) {
        this.id = id;
        this.downloader = downloader;
        this.server = server;
        this.link = link;
        this.session = new SessionId(id);
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
