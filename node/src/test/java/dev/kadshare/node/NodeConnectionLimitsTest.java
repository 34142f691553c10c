package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node holds strangers to the connection limits of its config, and counts what it refuses. */
class NodeConnectionLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aConnectionBeyondTheCapPerAddressIsClosedAndCountedByTheNode() throws Exception {
        NodeConfig config = new NodeConfig(new DataDir(dir), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(), NodeConfig.RateLimits.UNLIMITED, ConnectionLimits.defaults().withMaxConnectionsPerIp(1)
                        .withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5)));
        try (Node node = Node.start(config);
             Socket first = new Socket(InetAddress.getLoopbackAddress(), node.port());
             Socket second = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            // Which of the two the server counts first is up to its event loops: one is admitted, the other refused.
            await().atMost(Duration.ofSeconds(20)).until(() -> closedByServer(first) || closedByServer(second));
            assertEquals(1, node.connectionDrops().count(ConnectionDrop.IP_CAP));
            assertEquals(1, node.status().connectionDrops().get(ConnectionDrop.IP_CAP), "status shows it");
            assertFalse(closedByServer(first) && closedByServer(second), "the one admitted stays open");
        }
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
