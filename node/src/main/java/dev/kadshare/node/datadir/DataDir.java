package dev.kadshare.node.datadir;

import java.nio.file.Path;

/** The files a node keeps in its data directory, named in one place. */
public record DataDir(Path root) {
    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * The data dir a command uses: the flag if given, else {@code $KADSHARE_HOME}, else {@code ~/.kadshare}.
     */
    public static DataDir resolve(String flag) {
        if (flag != null && !flag.isBlank()) {
            return new DataDir(Path.of(flag));
        }
        String env = System.getenv("KADSHARE_HOME");
        if (env != null && !env.isBlank()) {
            return new DataDir(Path.of(env));
        }
        return new DataDir(Path.of(System.getProperty("user.home"), ".kadshare"));
    }

    /** Ed25519 private key seed, hex. */
    public Path identityKey() {
        return root.resolve("identity.key");
    }

    /** Address of the running daemon's control API; present only while it runs. */
    public Path apiAddress() {
        return root.resolve("api.address");
    }

    /** Locked by the running daemon for its whole life: a second one, or a client, tells a live daemon by it. */
    public Path daemonLock() {
        return root.resolve("daemon.lock");
    }

    /** Secret every control request must carry. */
    public Path apiToken() {
        return root.resolve("api.token");
    }

    /** What this node shares: one entry per content id. */
    public Path library() {
        return root.resolve("library");
    }

    /** Daemon settings, {@code name=value} lines; flags and environment variables override them. */
    public Path configFile() {
        return root.resolve("config");
    }

    /** The downloads asked for, so a restart resumes them. */
    public Path transfers() {
        return root.resolve("transfers");
    }

    /** The DHT's routing table, saved so a restarted node rejoins without --bootstrap. */
    public Path routingSnapshot() {
        return root.resolve("routing.snapshot");
    }

    public Path logFile() {
        return root.resolve("kadshare.log");
    }

    /** The daemon's throwaway downloads at start ({@code TransferWarmup}): deleted after, and at the next start. */
    public Path warmup() {
        return root.resolve("warmup");
    }

    /** Where downloads land when no output directory is given. */
    public Path downloads() {
        return root.resolve("downloads");
    }
}
