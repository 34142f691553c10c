package dev.kadshare.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One host opening connection after connection to a server and holding every one it gets, on a thread of its own:
 * the flood a server's cap per IP address must absorb. Closes them all when closed. Plain sockets that never speak:
 * an attempt costs its own side no more than the system calls of a connect, as an attacker's tool would.
 */
public final class ConnectionFlood implements AutoCloseable {
    private final Thread thread;
    private final List<Socket> held = new ArrayList<>();
    private volatile int attempts;
    private volatile boolean stop;

    /** Starts {@code count} connection attempts from {@code source} to {@code server}. */
    public ConnectionFlood(String source, InetSocketAddress server, int count) {
        InetSocketAddress from = new InetSocketAddress(source, 0);
        thread = new Thread(() -> {
            for (int i = 0; i < count && !stop; i++) {
                Socket socket = new Socket();
                synchronized (held) {
                    held.add(socket);
                }
                try {
                    socket.bind(from);
                    socket.connect(server, 5_000);
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
            for (Socket socket : held) {
                socket.close();
            }
            held.clear();
        }
    }
}
