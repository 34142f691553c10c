package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets one line on stderr and a non-zero exit code, never a stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun run, int expectedCode, String expectedFragment) {
        assertEquals(expectedCode, run.exitCode(), run.toString());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), "one line only: " + err);
        assertTrue(err.startsWith("kadshare: "), err);
        assertTrue(err.contains(expectedFragment), "expected '" + expectedFragment + "' in: " + err);
        assertFalse(err.contains("Exception"), "no stack traces or exception names: " + err);
    }

    /** A data dir under the test's whose config file holds {@code line}. */
    private String dataDirWithConfig(String name, String line) throws IOException {
        Path dataDir = Files.createDirectories(dir.resolve(name));
        Files.writeString(dataDir.resolve("config"), line + "\n");
        return dataDir.toString();
    }

    @Test
    void malformedLink() {
        assertOneLineError(CliRun.of("get", "--data-dir", dir.toString(), "magnet:?xt=urn:kadshare:zz"), CommandLine.USAGE,
                "content id must be 64 hex digits");
        assertOneLineError(CliRun.of("get", "--data-dir", dir.toString(), "https://example.org/file"), CommandLine.USAGE,
                "not a kadshare link");
        assertOneLineError(CliRun.of("remove", "--data-dir", dir.toString(), "magnet:?xt=urn:kadshare:zz"),
                CommandLine.USAGE, "content id must be 64 hex digits");
        assertOneLineError(CliRun.of("pause", "--data-dir", dir.toString(), "magnet:?xt=urn:btih:00"),
                CommandLine.USAGE, "unsupported link target 'urn:btih:00'");
    }

    @Test
    void unreadablePath() {
        assertOneLineError(CliRun.of("share", "--data-dir", dir.toString(), dir.resolve("missing.bin").toString()),
                CommandLine.USAGE, "cannot read file");
    }

    @Test
    void noDaemonRunningForThatDataDir() {
        Path empty = dir.resolve("nobody-home");
        assertOneLineError(CliRun.of("status", "--data-dir", empty.toString()), CommandLine.FAILED,
                "no daemon running for data dir " + empty);
        assertOneLineError(CliRun.of("stop", "--data-dir", empty.toString()), CommandLine.FAILED, "no daemon running");
        assertOneLineError(CliRun.of("web", "--data-dir", empty.toString()), CommandLine.FAILED, "no daemon running");
    }

    @Test
    void portAlreadyInUse() throws Exception {
        try (Node squatter = NodeTestSupport.loopbackNode(dir.resolve("squatter"), List.of())) {
            CliRun run = CliRun.of("daemon", "--data-dir", dir.resolve("d").toString(), "--host", "127.0.0.1",
                    "--port", String.valueOf(squatter.port()), "--log-level", "error");
            assertOneLineError(run, CommandLine.FAILED, "port " + squatter.port() + " is already in use");
        }
    }

    @Test
    void connectionCapsMustBeWholeNumbersOfAtLeastOne() throws Exception {
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--max-connections-per-ip", "0"),
                CommandLine.USAGE, "--max-connections-per-ip: must be at least 1, got 0");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--max-connections", "many"),
                CommandLine.USAGE, "--max-connections: expected a whole number");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dataDirWithConfig("c", "max-connections-per-content=-3")), CommandLine.USAGE,
                "line 1 (max-connections-per-content): must be at least 1");
    }

    @Test
    void lanDiscoverySettingsAreCheckedWhereverTheyCameFrom() throws Exception {
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--lan-discovery-group", "10.0.0.1"),
                CommandLine.USAGE, "--lan-discovery-group: expected an IPv4 multicast address (224.0.0.0/4), got '10.0.0.1'");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--lan-discovery-group", "lan.example"),
                CommandLine.USAGE, "--lan-discovery-group: expected an IPv4 multicast address");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--lan-discovery-group", "ff02::1"),
                CommandLine.USAGE, "--lan-discovery-group: expected an IPv4 multicast address");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--lan-discovery-port", "0"),
                CommandLine.USAGE, "--lan-discovery-port: port must be 1-65535, got 0");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dataDirWithConfig("l", "no-lan-discovery=perhaps")), CommandLine.USAGE,
                "line 1 (no-lan-discovery): expected true or false, got 'perhaps'");
    }

    @Test
    void anExternalAddressMustBeOneIpLiteralPerFamilyThatOthersCanReach() throws Exception {
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--external-address", "vm.example"),
                CommandLine.USAGE, "--external-address: expected an IP address such as 203.0.113.7, got 'vm.example'");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--external-address", "0.0.0.0"),
                CommandLine.USAGE, "--external-address: an external address must be one others can reach, got 0.0.0.0");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--external-address", "127.0.0.1"),
                CommandLine.USAGE, "--external-address: an external address must be one others can reach");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--external-address", "203.0.113.7",
                "--external-address", "203.0.113.8"), CommandLine.USAGE, "--external-address: one external address per family");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dataDirWithConfig("e", "external-address=224.0.0.1")), CommandLine.USAGE,
                "line 1 (external-address): an external address must be one others can reach, got 224.0.0.1");
    }

    @Test
    void aHostThatIsNoAddressIsAUsageErrorNamingIt() throws Exception {
        // An unbalanced bracket: refused before any name is looked up.
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.resolve("h").toString(), "--host", "[::1"),
                CommandLine.USAGE, "--host: cannot resolve host '[::1'");
        assertOneLineError(CliRun.of("daemon", "--data-dir", dataDirWithConfig("hc", "host=[::1")), CommandLine.USAGE,
                "line 1 (host): cannot resolve host '[::1'");
    }

    @Test
    @Timeout(60) // were the request sent, it would wait for an answer that never comes
    void aStaleAddressIsNoDaemonAndGetsNoToken() throws Exception {
        // What a daemon killed with -9 leaves: its lock file (no longer locked), token and address; the port may be
        // anyone's by now, so no request, with the token in it, goes there.
        Path dead = Files.createDirectories(dir.resolve("dead"));
        Files.writeString(dead.resolve("daemon.lock"), "");
        Files.writeString(dead.resolve("api.token"), "ab".repeat(32) + "\n");
        try (ServerSocketChannel impostor = ServerSocketChannel.open()) {
            impostor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
            Files.writeString(dead.resolve("api.address"), "127.0.0.1:" + impostor.socket().getLocalPort() + "\n");
            assertOneLineError(CliRun.of("status", "--data-dir", dead.toString()), CommandLine.FAILED,
                    "no daemon running for data dir " + dead);
            // The command has returned: a connection it made would be waiting to be accepted.
            assertNull(impostor.accept(), "nothing connected to the stale address");
        }
    }

    @Test
    void badBootstrapAndUnknownCommandAndOptions() {
        assertOneLineError(CliRun.of("daemon", "--data-dir", dir.toString(), "--bootstrap", "localhost"), CommandLine.USAGE,
                "expected HOST:PORT");
        assertOneLineError(CliRun.of("frobnicate"), CommandLine.USAGE, "frobnicate");
        assertOneLineError(CliRun.of("status", "--colour"), CommandLine.USAGE, "--colour");
        assertOneLineError(CliRun.of("demo", "--nodes", "2"), CommandLine.USAGE, "at least 3 nodes");
    }

    @Test
    void helpExitsZero() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("daemon") && run.out().contains("share"), run.out());
        CliRun share = CliRun.of("share", "--help");
        assertEquals(0, share.exitCode());
        assertTrue(share.out().contains("--data-dir"), share.out());
    }
}
