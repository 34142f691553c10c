package dev.kadshare.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The fuzz check of reading the data dir's config file, which a user writes by hand, run by
 * {@link dev.kadshare.node.NodeDecodersFuzzTest}: it loads or fails with an IOException that says why, nothing else;
 * every setting read from it is trimmed and non-empty; and a flag or an environment variable still wins over it.
 * (The file has no writer, so there is no round trip.)
 */
public final class ConfigurationFuzzCheck {
    /** The settings the daemon reads. */
    private static final List<String> NAMES =
            List.of("port", "host", "bootstrap", "max-upload-rate", "max-download-rate", "max-connections",
                    "max-connections-per-ip", "max-connections-per-content", "log-level");

    private final Path root;

    /** Checks config files in a data dir at {@code root}. */
    public ConfigurationFuzzCheck(Path root) {
        this.root = root;
    }

    /** Seeds: config files as the README describes them (the committed corpus adds edge cases and findings). */
    public static Stream<byte[]> files() {
        return Stream.of(
                        "port=7700\nbootstrap=10.0.0.5:7700,10.0.0.6:7700\n",
                        "# comment\nmax-upload-rate = 10M\nmax-download-rate=0\nlog-level=debug\nhost=127.0.0.1\n",
                        "port: 7701\r\n! other comment\r\nbootstrap \\\n  =127.0.0.1:7700\r\n")
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks one config file's bytes. */
    public void load(byte[] file) throws IOException {
        DataDir dataDir = new DataDir(root);
        Files.write(dataDir.configFile(), file);
        Configuration config;
        try {
            config = Configuration.load(dataDir, Map.of());
        } catch (IOException | InvalidSetting e) { // unreadable (not UTF-8), or a line that is no name=value
            return;
        }
        Configuration withEnvironment = Configuration.load(dataDir,
                Map.of(Configuration.environmentName(NAMES.get(0)), " from-env "));
        for (String name : NAMES) {
            Optional<String> value = config.value(name, null).map(Configuration.Value::text);
            value.ifPresent(v -> {
                assertEquals(v.strip(), v, name); // as the parser strips: Unicode white space, not control characters
                assertFalse(v.isEmpty(), name);
            });
            assertEquals(Optional.of("flag"), config.value(name, "flag").map(Configuration.Value::text));
        }
        assertEquals(Optional.of("from-env"), withEnvironment.value(NAMES.get(0), null).map(Configuration.Value::text));
    }
}
