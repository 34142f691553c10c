package dev.kadshare.node.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.link.LinkIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer links' identity (JDK EdDSA from the seed) is the node's (BouncyCastle): same key, same node id. */
class NodeIdentityLinkTest {
    @Test
    void linkIdentityFromTheSeedHasTheNodesKeyAndId(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 5; i++) {
            Path file = dir.resolve("key" + i);
            NodeIdentity node = NodeIdentity.loadOrCreate(file);
            assertEquals(64, Files.readString(file).trim().length());
            LinkIdentity link = LinkIdentity.fromSeed(node.seed());
            assertArrayEquals(node.publicKey(), link.publicKey());
            assertArrayEquals(node.nodeId(), link.nodeId());
            // reloaded, the same seed: the Noise static key survives a restart
            LinkIdentity again = LinkIdentity.fromSeed(NodeIdentity.loadOrCreate(file).seed());
            assertArrayEquals(link.noiseStatic().publicKey(), again.noiseStatic().publicKey());
        }
    }
}
