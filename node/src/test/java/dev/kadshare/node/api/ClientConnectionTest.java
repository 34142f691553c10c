package dev.kadshare.node.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that closes its connection is seen gone in the kernel's table, while nothing is written to it. */
class ClientConnectionTest {
    @TempDir
    Path dir;

    @Test
    void aClientThatClosesIsSeenGone() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp6")) || Files.isReadable(Path.of("/proc/net/tcp")),
                "no /proc/net/tcp here (not Linux): a client is seen gone at the next write only");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
            try (Socket accepted = server.accept()) {
                ClientConnection connection = new ClientConnection(
                        (InetSocketAddress) accepted.getLocalSocketAddress(),
                        (InetSocketAddress) accepted.getRemoteSocketAddress());
                assertFalse(connection.getAsBoolean(), "open");
                client.close();
                await().atMost(Duration.ofSeconds(10)).until(connection::getAsBoolean);
            }
        }
    }

    @Test
    void aConnectionNeverFoundInTheTableIsNeverSaidGone() throws Exception {
        Path table = Files.writeString(dir.resolve("tcp"), "  sl  local_address rem_address   st\n");
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2000);
        assertFalse(new ClientConnection(a, b, List.of(table, dir.resolve("missing"))).getAsBoolean(),
                "a table it cannot read, or its encoding not matched: the next write tells, as before");
    }
}
