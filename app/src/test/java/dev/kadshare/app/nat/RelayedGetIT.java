package dev.kadshare.app.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Case 3 of the NAT cases: sharer and getter each at home behind a symmetric NAT (a random outside port per flow), so
 * neither can accept and punching fails; the get completes through the public seed as a relay, which the transfer's
 * status says on both sides, and the relay's byte cap per circuit holds: the first circuit is cut at it, counted, and
 * the getter goes on through a second one.
 */
class RelayedGetIT extends NamespaceCase {
    private static final int FILE_BYTES = 3 * 1024 * 1024 + 5;

    @Test
    void bothAtHomeBehindSymmetricNats() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("far.bin"), FILE_BYTES, 27);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open();
             HomeGet home = HomeGet.start(dir, new Internet(lab), NetLab.Nat.SYMMETRIC,
                     "--relay-max-bytes-per-circuit", "2M")) {
            // A dial that times out (10 s), the introduction, a punched dial that times out (10 s), the relay.
            home.get(file, out, Duration.ofSeconds(100));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("far.bin")));
            JsonNode peer = home.sharerPeer();
            assertEquals("relayed", peer.path("connection").asText(), peer + home.logs());

            JsonNode relay = home.seed().status(dir).path("relay");
            assertTrue(relay.path("offered").asBoolean(), "the seed is publicly reachable: " + relay);
            assertEquals(1, relay.path("cutAtByteCap").asLong(),
                    "the first circuit was cut at 2 MiB, the second carried the rest: " + relay + home.logs());
            assertEquals(2, relay.path("circuitsOpened").asLong(), relay + home.logs());
            assertTrue(relay.path("bytesRelayed").asLong() > 2 << 20, "the cut circuit carried its cap: " + relay);
            assertEquals(2, home.sharer().status(dir).path("relay").path("circuitsToUs").asLong());
            // The sharer's side says how the getter came: through the relay, from the relay's address.
            Kadshare.Result sharerPeers = home.sharer().cli(dir, "peers", "--json");
            assertTrue(Pattern.compile("\"connection\"\\s*:\\s*\"relayed\"").matcher(sharerPeers.out()).find(),
                    sharerPeers.toString());
        }
    }
}
