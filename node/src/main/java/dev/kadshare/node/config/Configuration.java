package dev.kadshare.node.config;

import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a daemon setting comes from, in order of precedence: the command-line flag, the environment variable
 * {@code KADSHARE_<NAME>} (upper case, dashes as underscores), then the {@code config} file in the data dir
 * ({@code name=value} lines).
 */
public final class Configuration {
    private final Map<String, String> environment;
    private final Properties file;

    private Configuration(Map<String, String> environment, Properties file) {
        this.environment = environment;
        this.file = file;
    }

    /** Reads the data dir's config file, if any; a file that cannot be read is an error, not a silent default. */
    public static Configuration load(DataDir dataDir, Map<String, String> environment) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.configFile(), StandardCharsets.UTF_8)) {
            file.load(reader);
        } catch (NoSuchFileException e) {
            // No config file: flags, environment and defaults only.
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed config file " + dataDir.configFile() + ": " + e.getMessage());
        }
        return new Configuration(environment, file);
    }

    /** The environment variable that sets {@code name}. */
    public static String environmentName(String name) {
        return "KADSHARE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The setting's value: the flag if given, else the environment, else the config file. */
    public Optional<String> value(String name, String flag) {
        if (flag != null) {
            return Optional.of(flag);
        }
        String env = environment.get(environmentName(name));
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        return Optional.ofNullable(file.getProperty(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
