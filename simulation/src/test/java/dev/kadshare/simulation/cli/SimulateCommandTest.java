package dev.kadshare.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.node.cli.BuildInfo;
import dev.kadshare.node.cli.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    private static final CommandLine SIMULATE = new CommandLine(BuildInfo.UNKNOWN, List.of(SimulateCommand::new));
    private static final List<String> SWARM_FIELDS = List.of("scenario", "mode", "nodes", "seed", "fileBytes",
            "completionSeconds", "boundSeconds", "boundRatio", "cost");

    /** Runs {@code kadshare simulate ARGS --json}, expects success and returns the JSON printed. */
    private static JsonNode simulateJson(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("simulate"));
        argv.addAll(List.of(args));
        argv.add("--json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SIMULATE.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> fields(JsonNode json) {
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    @Test
    void lookupJsonHasTheIssuesFieldsInOrder() throws Exception {
        JsonNode json = simulateJson("lookup", "--nodes", "100", "--lookups", "50");
        assertEquals(List.of("scenario", "mode", "nodes", "joined", "cutShort", "seed", "lookups", "successRate", "hops",
                "rpcsPerLookup", "latencyMs", "medianRttMs", "latencyPerHopRtt", "cost"), fields(json));
        assertEquals(100, json.get("joined").asInt());
        // Where the heap goes: the JVM's own class histogram, biggest first.
        JsonNode top = json.get("cost").get("heapTop");
        assertTrue(top.size() > 3 && top.get(0).get("bytes").asLong() >= top.get(1).get("bytes").asLong(), top.toString());
        assertEquals(0, json.get("cutShort").size());
        assertTrue(json.get("hops").has("p95") && json.get("latencyMs").has("median"));
        assertTrue(json.get("cost").has("wallSeconds") && json.get("cost").has("peakHeapBytes"));
    }

    @Test
    void attackJsonHasTheHeadlineFiguresThenEachAttack() throws Exception {
        JsonNode json = simulateJson("attack", "--nodes", "100", "--adversaries", "0.1", "--id-rule", "bound", "--keys", "5",
                "--lookups", "20", "--flooders", "2", "--spoofed", "300");
        assertEquals(List.of("scenario", "mode", "nodes", "seed", "joined", "adversaries", "adversaryNodes", "idRule",
                "successRate", "recordSuccessRate", "amplification", "attackerStoreShare", "attacks", "cost"), fields(json));
        assertEquals(10, json.get("adversaryNodes").asInt());
        assertEquals("bound", json.get("idRule").asText());
        assertEquals(List.of("eclipse", "flood", "spoof"), fields(json.get("attacks")));
        assertEquals(300, json.get("attacks").get("spoof").get("datagrams").asInt());
        assertEquals(2, json.get("attacks").get("flood").get("flooderIps").asInt());
        assertTrue(json.get("amplification").asDouble() > 0, json.toString());
    }

    @Test
    void attackRefusesWhatItCannotRun() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertTrue(SIMULATE.run(new String[] {"simulate", "attack", "--adversaries", "1.5"}, System.out, errStream) != 0);
        assertTrue(SIMULATE.run(new String[] {"simulate", "attack", "--id-rule", "maybe"}, System.out, errStream) != 0);
        assertTrue(SIMULATE.run(new String[] {"simulate", "attack", "--mode", "loopback"}, System.out, errStream) != 0);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--id-rule"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void scalingRunsEachSizeFitsRpcsToLogNAndChartsIt(@TempDir Path dir) throws Exception {
        JsonNode json = simulateJson("scaling", "--sizes", "200,50,100", "--lookups", "40", "--keys", "10",
                "--out", dir.toString());
        JsonNode runs = json.get("runs");
        assertEquals(3, runs.size());
        assertEquals(List.of(50, 100, 200), List.of(runs.get(0).get("nodes").asInt(), runs.get(1).get("nodes").asInt(),
                runs.get(2).get("nodes").asInt()));
        for (JsonNode run : runs) {
            assertEquals(run.get("nodes").asInt(), run.get("joined").asInt());
            assertTrue(run.get("successRate").asDouble() >= 0.95, run.toString());
        }
        JsonNode fit = json.get("rpcsFitLog2N");
        assertTrue(Double.isFinite(fit.get("slope").asDouble()) && fit.get("r2").asDouble() >= 0, fit.toString());
        assertTrue(Files.size(dir.resolve("scaling.png")) > 0);
        assertTrue(Files.readAllLines(dir.resolve("scaling-samples.csv")).size() == 4);
    }

    @Test
    void swarmJsonHasTheIssuesFieldsInOrderAndOutWritesCsvAndPng(@TempDir Path dir) throws Exception {
        JsonNode json = simulateJson("swarm", "--nodes", "20", "--file-mib", "2", "--out", dir.toString());
        assertEquals(SWARM_FIELDS, fields(json));
        assertTrue(Files.size(dir.resolve("swarm-samples.csv")) > 0);
        assertTrue(Files.size(dir.resolve("swarm-completion.png")) > 0);
    }

    @Test
    void loopbackSwarmJsonHasTheSameFieldsAndOutWritesCsvAndPng(@TempDir Path dir) throws Exception {
        JsonNode json = simulateJson("swarm", "--mode", "loopback", "--nodes", "4", "--file-mib", "2",
                "--seeder-up-mbps", "40", "--up-mbps", "40", "--down-mbps", "160", "--timeout-s", "30",
                "--out", dir.toString());
        assertEquals(SWARM_FIELDS, fields(json));
        assertEquals("loopback", json.get("mode").asText());
        assertEquals(2 << 20, json.get("fileBytes").asLong());
        assertEquals(5, Files.readAllLines(dir.resolve("swarm-samples.csv")).size(), "a header and 4 downloaders");
        assertTrue(Files.size(dir.resolve("swarm-completion.png")) > 0);
    }

    @Test
    void churnRunsFromTheCommandLine() throws Exception {
        JsonNode json = simulateJson("churn", "--nodes", "50", "--lookups", "20", "--keys", "5", "--duration-min", "2");
        assertEquals("churn", json.get("scenario").asText());
        assertEquals(20, json.get("lookups").asInt());
    }

    @Test
    void churnOnLoopbackIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "churn", "--mode", "loopback"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    @Test
    void settingsItCannotRunAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "lookup", "--keys", "0"}, System.out, errors));
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "lookup", "--loss", "1.5"}, System.out, errors));
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "churn", "--duration-min", "0"}, System.out, errors));
        // The swarm's content is a real manifest: chunks of at most 16 MiB, and few enough to fit one frame.
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "swarm", "--chunk-kib", "32768"}, System.out, errors));
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "swarm", "--chunk-kib", "4194305"}, System.out, errors));
        assertEquals(2, SIMULATE.run(new String[] {"simulate", "swarm", "--file-mib", "100000", "--chunk-kib", "1"},
                System.out, errors));
    }

    @Test
    void unknownScenarioIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SIMULATE.run(new String[] {"simulate", "teleport"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown scenario"));
    }
}
