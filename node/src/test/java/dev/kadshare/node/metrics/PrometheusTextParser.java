package dev.kadshare.node.metrics;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parses the Prometheus text format with the Prometheus project's own parser (client_python's
 * {@code prometheus_client.parser}, Debian's python3-prometheus-client, which bin/test-packages installs as root):
 * the Java client has no parser of the format, and Maven Central has no maintained Java one. A line it cannot
 * parse fails the parse, hence the test.
 */
final class PrometheusTextParser {
    /** Debian's Python, where its package installs the client (a python3 earlier on PATH may not have it). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join("\n",
            "import json, math, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = {'types': {}, 'samples': []}",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    out['types'][family.name] = family.type",
            "    for s in family.samples:",
            "        v = s.value if math.isfinite(s.value) else str(s.value)",
            "        out['samples'].append({'name': s.name, 'labels': s.labels, 'value': v})",
            "print(json.dumps(out))");

    /** One sample: a metric's name (with its suffix: _total, _bucket...), its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** What the parser made of a text: each family's type by name, and every sample. */
    record Parsed(Map<String, String> types, List<Sample> samples) {
        /** The value of the one sample named {@code name} with exactly {@code labels}. */
        double value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
        }

        List<Sample> named(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).toList();
        }
    }

    /** Skips the calling test, saying why, when python3 or its Prometheus client is missing. */
    static void assumeAvailable() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)),
                PYTHON + " is not installed (needed to parse the Prometheus text format)");
        Process p = new ProcessBuilder(PYTHON, "-c", "import prometheus_client.parser").redirectErrorStream(true).start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "python3-prometheus-client is not installed (bin/test-packages installs it as root)");
    }

    static Parsed parse(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser refused the text: " + err);
        }
        JsonNode json = new ObjectMapper().readTree(out);
        Map<String, String> types = new HashMap<>();
        json.get("types").fields().forEachRemaining(e -> types.put(e.getKey(), e.getValue().asText()));
        List<Sample> samples = new ArrayList<>();
        for (JsonNode s : json.get("samples")) {
            Map<String, String> labels = new HashMap<>();
            s.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(s.get("name").asText(), Map.copyOf(labels), s.get("value").asDouble()));
        }
        return new Parsed(types, samples);
    }

    private PrometheusTextParser() {
    }
}
