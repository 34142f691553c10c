package dev.kadshare.app.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Case 2 of the NAT cases: sharer and getter each at home behind a port-preserving NAT that drops unsolicited
 * inbound; the get completes over a connection punched through both, which the transfer's status says.
 */
class PunchedGetIT extends NamespaceCase {
    @Test
    void bothAtHomeBehindPortPreservingNats() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("home.bin"), 3 * 1024 * 1024 + 5, 25);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open();
             HomeGet home = HomeGet.start(dir, new Internet(lab), NetLab.Nat.PORT_PRESERVING)) {
            // A dial that times out (the first SYN dropped: 10 s), the introduction, then the punched connection.
            home.get(file, out, Duration.ofSeconds(100));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("home.bin")));
            // The sharer's router, where the sharer announced from.
            JsonNode peer = home.sharerPeer();
            assertEquals("direct, punched", peer.path("connection").asText(), peer + home.logs());
            assertEquals(file.toFile().length(), peer.path("bytesDownloaded").asLong(), "all of it came that way");
            JsonNode seedReach = home.seed().status(dir).path("reachability");
            assertEquals("OPEN", seedReach.path("mapping").asText(),
                    "the seed's observers (both routers) see the address it bound: " + seedReach);
        }
    }
}
