package dev.kadshare.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One host opening connection after connection to a server and holding every one it gets, on a thread of its own:
 * the flood a server's cap per IP address must absorb. Closes them all when closed.
 */
public final class ConnectionFlood implements AutoCloseable {
    private final Thread thread;
    private final List<RawPeer> held = new ArrayList<>();
    private volatile int attempts;
    private volatile boolean stop;

    /** Starts {@code count} connection attempts from {@code source} to {@code server}. */
    public ConnectionFlood(String source, InetSocketAddress server, int count) {
        thread = new Thread(() -> {
            for (int i = 0; i < count && !stop; i++) {
                try {
                    RawPeer peer = RawPeer.connect(source, server);
                    synchronized (held) {
                        held.add(peer);
                    }
                } catch (IOException refused) {
                    // A refused or reset attempt is an attempt too.
                }
                attempts = i + 1;
            }
        }, "flood-" + source);
        thread.setDaemon(true);
        thread.start();
    }

    /** Attempts made so far. */
    public int attempts() {
        return attempts;
    }

    public boolean done() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws Exception {
        stop = true;
        thread.join(30_000);
        synchronized (held) {
            for (RawPeer peer : held) {
                peer.close();
            }
            held.clear();
        }
    }
}
