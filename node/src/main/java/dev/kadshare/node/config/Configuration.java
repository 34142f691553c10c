package dev.kadshare.node.config;

import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where a daemon setting comes from, in order of precedence: the command-line flag, the environment variable
 * {@code KADSHARE_<NAME>} (upper case, dashes as underscores), then the {@code config} file in the data dir
 * ({@code name=value} lines, {@code #} comments). Every value knows where it came from, so a bad one is
 * reported there ({@code --port}, {@code KADSHARE_PORT}, {@code config line 3}); names that are not settings
 * are collected as {@link #unknown()} rather than silently ignored.
 */
public final class Configuration {
    /** Every daemon setting, by its flag's name without the dashes. */
    public static final List<String> SETTINGS =
            List.of("port", "host", "bootstrap", "external-address", "max-upload-rate", "max-download-rate", "max-connections",
                    "max-connections-per-ip", "max-connections-per-content", "no-lan-discovery", "lan-discovery-group",
                    "lan-discovery-port", "no-relay", "relay-max-circuits", "relay-max-bytes-per-circuit",
                    "relay-max-rate", "log-level", "metrics-public");

    /** {@code KADSHARE_} variables that are not daemon settings: the data dir, and bin/kadshare's JVM options. */
    public static final Set<String> OTHER_VARIABLES = Set.of("KADSHARE_HOME", "KADSHARE_JAVA_OPTS");

    private static final String PREFIX = "KADSHARE_";

    /** A setting's text and where it was given, for error messages. */
    public record Value(String text, String origin) {}

    /** Where a name that is no setting was found. */
    public enum Source { ENVIRONMENT, CONFIG_FILE }

    /** A name that is no setting, and where it was given ({@code origin} names the file and line). */
    public record Unknown(String name, Source source, String origin) {}

    private final Map<String, String> environment;
    private final Map<String, Value> file;
    private final List<Unknown> unknown;

    private Configuration(Map<String, String> environment, Map<String, Value> file, List<Unknown> unknown) {
        this.environment = environment;
        this.file = file;
        this.unknown = unknown;
    }

    /**
     * Reads the data dir's config file, if any; a file that cannot be read or a line that is not
     * {@code name=value} is an error, not a silent default.
     */
    public static Configuration load(DataDir dataDir, Map<String, String> environment) throws IOException {
        List<Unknown> unknown = new ArrayList<>();
        // Sorted, so the warnings come in the same order every time.
        for (String variable : new TreeMap<>(environment).keySet()) {
            if (variable.startsWith(PREFIX) && !OTHER_VARIABLES.contains(variable)
                    && SETTINGS.stream().noneMatch(s -> environmentName(s).equals(variable))) {
                unknown.add(new Unknown(variable, Source.ENVIRONMENT, "environment"));
            }
        }
        Map<String, Value> file = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.configFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        } catch (CharacterCodingException e) {
            throw new InvalidSetting(dataDir.configFile().toString(), "not UTF-8 text; save it as UTF-8");
        }
        for (int i = 0; i < lines.size(); i++) {
            // a byte order mark, which some editors write first, is no part of the first name
            String line = (i == 0 && lines.get(i).startsWith("\uFEFF") ? lines.get(i).substring(1) : lines.get(i)).strip();
            String origin = dataDir.configFile() + " line " + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new InvalidSetting(origin, "expected name=value, got '" + line + "'");
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (SETTINGS.contains(name)) {
                file.put(name, new Value(value, origin + " (" + name + ")"));
            } else {
                unknown.add(new Unknown(name, Source.CONFIG_FILE, origin));
            }
        }
        return new Configuration(Map.copyOf(environment), file, List.copyOf(unknown));
    }

    /** The environment variable that sets {@code name}. */
    public static String environmentName(String name) {
        return PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The setting's value and origin: the flag if given, else the environment, else the config file. */
    public Optional<Value> value(String name, String flag) {
        if (!SETTINGS.contains(name)) {
            throw new IllegalArgumentException("not a setting: " + name);
        }
        if (flag != null) {
            return Optional.of(new Value(flag, "--" + name));
        }
        String env = environment.get(environmentName(name));
        if (env != null && !env.isBlank()) {
            return Optional.of(new Value(env.strip(), environmentName(name)));
        }
        return Optional.ofNullable(file.get(name)).filter(v -> !v.text().isEmpty());
    }

    /**
     * The setting read through {@code parse}; an {@link IllegalArgumentException} from it becomes an
     * {@link InvalidSetting} that names where the value came from.
     */
    public <T> Optional<T> parsed(String name, String flag, Function<String, T> parse) {
        Optional<Value> value = value(name, flag);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(value.get().text()));
        } catch (IllegalArgumentException e) {
            String reason = e instanceof NumberFormatException
                    ? "expected a whole number, got '" + value.get().text() + "'"
                    : e.getMessage();
            throw new InvalidSetting(value.get().origin(), reason);
        }
    }

    /** Config-file keys and {@code KADSHARE_} variables that name no setting, in the order found. */
    public List<Unknown> unknown() {
        return unknown;
    }
}
