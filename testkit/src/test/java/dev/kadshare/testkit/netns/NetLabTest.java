package dev.kadshare.testkit.netns;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetLabTest {
    @BeforeAll
    static void needsNamespaces() {
        assumeTrue(NetLab.unavailable().isEmpty(), () -> "skipped: " + NetLab.unavailable().orElseThrow());
    }

    /** A host behind the NAT reaches a public one as the router's address; nothing reaches in; close removes it all. */
    @Test
    void natHidesTheInsideAndCloseRemovesEverything() throws Exception {
        String prefix;
        Path logs = Files.createTempDirectory("netlab");
        try (NetLab lab = NetLab.open()) {
            NetLab.Segment wan = lab.segment("wan", "10.77.0.0/24");
            NetLab.Segment home = lab.segment("home", "192.168.7.0/24");
            NetLab.Host server = lab.host("server", wan, "10.77.0.10");
            NetLab.Host router = lab.router("router", wan, "10.77.0.1", home, "192.168.7.1", NetLab.Nat.PORT_PRESERVING);
            NetLab.Host inside = lab.host("inside", home, "192.168.7.10");
            prefix = server.namespace().substring(0, server.namespace().lastIndexOf('-') + 1);

            listen(server, logs.resolve("server.log"));
            listen(inside, logs.resolve("inside.log"));

            assertEquals("10.77.0.1", connect(inside, server.address()).output().strip(),
                    "the public host sees the router's address");
            assertNotEquals(0, connect(server, router.address()).exitCode(), "unsolicited inbound to the router is dropped");
            assertNotEquals(0, connect(server, inside.address()).exitCode(), "the inside is not routed from outside");
        } finally {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(logs);
        }
        String left = new Shell().output("ip", "netns", "list");
        assertFalse(left.lines().anyMatch(line -> line.startsWith(prefix)), left);
    }

    private static void listen(NetLab.Host host, Path log) throws IOException {
        String classpath = System.getProperty("java.class.path");
        new ProcessBuilder(host.wrap(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ObservedAddressServer.class.getName(), host.address(), "9000")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("listening"));
    }

    /** Reads what the server at {@code address}:9000 says, giving up after 3 s. */
    private static Shell.Result connect(NetLab.Host from, String address) {
        return from.run("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/9000 && cat <&3");
    }
}
