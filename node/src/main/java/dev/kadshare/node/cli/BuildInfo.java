package dev.kadshare.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code kadshare version} reports of the build: the version and the git commit it was built from, as the
 * runnable jar's build wrote them ({@code git.build.version}, {@code git.commit.id.abbrev}, {@code
 * git.commit.time}). A build outside a git checkout has no commit.
 */
public record BuildInfo(String version, Optional<String> commit, Optional<String> commitTime) {
    /** For a build that recorded nothing (tests, a bare classpath). */
    public static final BuildInfo UNKNOWN = new BuildInfo("unknown", Optional.empty(), Optional.empty());

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
        return new BuildInfo(present(p, "git.build.version").orElse(UNKNOWN.version()),
                present(p, "git.commit.id.abbrev"), present(p, "git.commit.time"));
    }

    private static Optional<String> present(Properties p, String key) {
        return Optional.ofNullable(p.getProperty(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The lines {@code kadshare --version} prints. */
    String describe() {
        String built = commit.map(c -> "commit " + c + commitTime.map(t -> " of " + t).orElse(""))
                .orElse("commit unknown: built outside a git checkout");
        return "kadshare " + version + " (" + built + ")\n"
                + "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home") + ")";
    }
}
