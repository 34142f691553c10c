package dev.kadshare.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One host opening connection after connection to a server and holding every one it starts, on a thread of its own:
 * the flood a server's cap per IP address must absorb. Closes them all when closed. Non-blocking sockets that never
 * speak and never wait: each attempt is a SYN sent whether or not the last one was answered, as an attacker's tool
 * sends them, so a server that stops answering does not slow the flood down.
 */
public final class ConnectionFlood implements AutoCloseable {
    private final Thread thread;
    private final List<SocketChannel> held = new ArrayList<>();
    private volatile int attempts;
    private volatile boolean stop;

    /** Starts {@code count} connection attempts from {@code source} to {@code server}. */
    public ConnectionFlood(String source, InetSocketAddress server, int count) {
        InetSocketAddress from = new InetSocketAddress(source, 0);
        thread = new Thread(() -> {
            for (int i = 0; i < count && !stop; i++) {
                try {
                    SocketChannel socket = SocketChannel.open();
                    synchronized (held) {
                        held.add(socket);
                    }
                    socket.configureBlocking(false);
                    socket.bind(from);
                    socket.connect(server);
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
            for (SocketChannel socket : held) {
                socket.close();
            }
            held.clear();
        }
    }
}
