package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kadshare.node.api.Json;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A symbolic link the user shares is followed once, when shared: the node serves what it names from there (it never
 * reads a served file through a link), under the link's name; and a library entry that names a link and has no
 * stamps, as nodes wrote before, is served from what the link names after a restart, and stamped.
 */
class ShareOfALinkTest {
    @TempDir
    Path dir;

    @Test
    void aSharedLinkIsServedFromWhatItNamesAlsoAfterARestart() throws Exception {
        Path real = RandomFiles.write(dir.resolve("files/real.bin"), 1024 * 1024 + 7, 21).toRealPath();
        Path named = Files.createSymbolicLink(dir.resolve("files/named.bin"), real);
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            MagnetLink link;
            String id;
            try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()))) {
                sharer.bootstrapped().get(10, TimeUnit.SECONDS);
                ShareResult shared = sharer.share(named).get(30, TimeUnit.SECONDS);
                assertEquals("named.bin", shared.name(), "shown under the name the user gave");
                assertEquals(real.toString(), sharer.status().shares().get(0).path(), "served from what it names");
                link = MagnetLink.parse(shared.link());
                id = link.contentId().toHex();
                fetch(seed, link, id, dir.resolve("out-1"), real);
            }
            // As a node wrote it before shares were resolved and stamped: the entry names the link, and has no stamps.
            Path entry = dir.resolve("sharer/library/" + id + ".json");
            ObjectNode old = (ObjectNode) Json.MAPPER.readTree(entry.toFile());
            old.put("path", named.toString());
            old.remove("stamps");
            Json.MAPPER.writeValue(entry.toFile(), old);
            try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()))) {
                assertEquals(real.toString(), sharer.status().shares().get(0).path());
                // Stamped as it is found, from now on.
                await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readTree(entry.toFile()).path("stamps").size() == 1);
                try (Node getter = NodeTestSupport.loopbackNode(dir.resolve("getter"), List.of(seed.address()))) {
                    getter.bootstrapped().get(10, TimeUnit.SECONDS);
                    fetch(getter, link, id, dir.resolve("out-2"), real);
                }
            }
        }
    }

    private static void fetch(Node node, MagnetLink link, String id, Path out, Path expected) throws Exception {
        node.get(link, out);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> node.transfer(id).orElseThrow().state() == TransferState.COMPLETE);
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve("named.bin")));
    }
}
