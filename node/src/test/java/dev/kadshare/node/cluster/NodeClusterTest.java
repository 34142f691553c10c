package dev.kadshare.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeClusterTest {
    @Test
    void nodesJoinEachOtherInTheirOwnDataDirsAndCloseLeavesNothingBehind() throws Exception {
        Path root;
        try (NodeCluster cluster = new NodeCluster(1)) {
            root = cluster.root();
            Node first = cluster.start(List.of(), NodeConfig.RateLimits.UNLIMITED);
            Node second = cluster.start(List.of(first.address()), new NodeConfig.RateLimits(1024, 0));
            assertEquals(1, second.bootstrapped().get(10, TimeUnit.SECONDS));
            assertEquals(List.of(first, second), cluster.nodes());
            assertTrue(Files.exists(root.resolve("node-0").resolve("identity.key")));
            assertTrue(Files.exists(root.resolve("node-1").resolve("identity.key")));
            Files.writeString(root.resolve("caller's file"), "also deleted");
        }
        assertFalse(Files.exists(root));
    }
}
