package dev.kadshare.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code kadshare version} reports of the build: the version and the git commit it was built from, as the
 * runnable jar's build wrote them ({@code version=} and {@code commit=} lines; see app/pom.xml). A build outside
 * a git checkout has no commit.
 */
public record BuildInfo(String version, Optional<String> commit) {
    /** For a build that recorded nothing (tests, a bare classpath). */
    public static final BuildInfo UNKNOWN = new BuildInfo("unknown", Optional.empty());

    /** Reads the properties the build wrote; a missing or unreadable resource is {@link #UNKNOWN}. */
    public static BuildInfo read(InputStream properties) {
        if (properties == null) {
            return UNKNOWN;
        }
        Properties p = new Properties();
        try (properties) {
            p.load(properties);
        } catch (IOException | IllegalArgumentException e) {
            return UNKNOWN;
        }
        return new BuildInfo(known(p, "version").orElse(UNKNOWN.version()), known(p, "commit"));
    }

    /** The property, unless absent, empty, "unknown" or a placeholder the build left unfilled. */
    private static Optional<String> known(Properties p, String key) {
        return Optional.ofNullable(p.getProperty(key)).map(String::trim)
                .filter(v -> !v.isEmpty() && !v.equals("unknown") && !v.startsWith("${"));
    }

    /** The lines {@code kadshare --version} prints. */
    String describe() {
        return "kadshare " + version + " (" + commit.map(c -> "commit " + c).orElse("commit unknown: built outside a git checkout")
                + ")\n" + "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home") + ")";
    }
}
