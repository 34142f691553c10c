package dev.kadshare.dht.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingSnapshotFileTest {
    private final SplittableRandom random = new SplittableRandom(5);

    @Test
    void roundTripsIdAndContactsAndReplacesAtomically(@TempDir Path dir) throws Exception {
        RoutingSnapshotFile file = new RoutingSnapshotFile(dir.resolve("sub/routing"));
        assertEquals(Optional.empty(), file.load());
        RoutingSnapshot first = new RoutingSnapshot(NodeId.random(random), List.of(
                new Contact(NodeId.random(random), new InetSocketAddress("10.1.2.3", 4000)),
                new Contact(NodeId.random(random), new InetSocketAddress("::1", 4001))));
        file.save(first);
        assertEquals(Optional.of(first), file.load());
        RoutingSnapshot second = new RoutingSnapshot(first.id(), first.contacts().subList(0, 1));
        file.save(second);
        assertEquals(Optional.of(second), file.load());
        try (var files = Files.list(dir.resolve("sub"))) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void aCorruptFileIsIgnored(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("routing");
        Files.writeString(path, "kadshare-dht-routing 1\nid nothex\n");
        assertEquals(Optional.empty(), new RoutingSnapshotFile(path).load());
        Files.writeString(path, "something else");
        assertEquals(Optional.empty(), new RoutingSnapshotFile(path).load());
    }

    @Test
    void aContactNamedByHostNameNotLiteralIsCorruptionAndNeverLookedUp(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("routing");
        String id = NodeId.random(random).toHex();
        Files.writeString(path, "kadshare-dht-routing 1\nid " + id + "\n" + id + " localhost 4000\n");
        assertEquals(Optional.empty(), new RoutingSnapshotFile(path).load());
    }

    @Test
    void aFileLargerThanAnySnapshotIsIgnoredUnread(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("routing");
        try (var ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.write(java.nio.ByteBuffer.wrap("kadshare-dht-routing 1\n".getBytes()));
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), 3L << 30); // 3 GiB, sparse
        }
        assertEquals(Optional.empty(), new RoutingSnapshotFile(path).load());
    }
}
