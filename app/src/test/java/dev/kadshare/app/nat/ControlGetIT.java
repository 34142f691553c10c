package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Case 1 of the NAT cases: the sharer is public, the getter at home behind a NAT; the get completes. */
class ControlGetIT extends NamespaceCase {
    @Test
    void publicSharerHomeGetter() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("public.bin"), 3 * 1024 * 1024 + 17, 15);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open()) {
            Internet internet = new Internet(lab);
            NetLab.Host seedHost = internet.publicHost("seed");
            NetLab.Host sharerHost = internet.publicHost("sharer");
            NetLab.Host getterHost = internet.home("getter", NetLab.Nat.PORT_PRESERVING);
            String seed = seedHost.endpoint(Kadshare.Daemon.NAMESPACE_PORT);
            try (Kadshare.Daemon bootstrap = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"));
                 Kadshare.Daemon sharer = Kadshare.Daemon.startIn(sharerHost, dir.resolve("sharer"), "--bootstrap", seed);
                 Kadshare.Daemon getter = Kadshare.Daemon.startIn(getterHost, dir.resolve("getter"), "--bootstrap", seed)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> getter.status(dir).path("routingTableSize").asInt() > 0
                                && sharer.status(dir).path("routingTableSize").asInt() > 0);
                Kadshare.Result share = sharer.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());

                Kadshare.Result get = getter.cli(dir, "get", share.lastLine(), "--out", out.toString());

                assertEquals(0, get.exitCode(), get + "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output());
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("public.bin")));
                assertEquals(0, bootstrap.status(dir).path("transfers").size(), "the seed only routes");
            }
        }
    }
}
