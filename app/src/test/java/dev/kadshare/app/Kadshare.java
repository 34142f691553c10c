package dev.kadshare.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.testkit.netns.NetLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the built jars as real processes, the way a user would. */
public final class Kadshare {
    static final Path JAR = Path.of("target", "kadshare.jar").toAbsolutePath();
    /** The simulation's jar, run on top of {@link #JAR}. */
    static final Path SIMULATION_JAR = JAR.resolveSibling("kadshare-simulation.jar");
    /** bin/kadshare: {@code simulate} and the usage from {@link #SIMULATION_JAR}, every other command from {@link #JAR}. */
    public static final Path LAUNCHER = Path.of("..", "bin", "kadshare").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one finished command printed and returned. */
    public record Result(int exitCode, String out, String err) {
        public String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        public JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private Kadshare() {}

    static List<String> command(List<String> args) {
        return command(List.of(), args);
    }

    /** kadshare with {@code args}, run through {@code prefix} (e.g. {@code ip netns exec NS}). */
    static List<String> command(List<String> prefix, List<String> args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** Runs a command to completion (at most 2 minutes). */
    public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, Map.of(), args);
    }

    /** Runs a command to completion (at most 2 minutes) with {@code env} added to its environment. */
    public static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return execute(workDir, env, command(List.of(args)));
    }

    /** Runs a command through {@code prefix} to completion (at most 2 minutes). */
    static Result runThrough(List<String> prefix, Path workDir, String... args) throws IOException, InterruptedException {
        return execute(workDir, Map.of(), command(prefix, List.of(args)));
    }

    /** Runs a command through bin/kadshare, which picks the jar, to completion (at most 2 minutes). */
    public static Result launch(Path workDir, String... args) throws IOException, InterruptedException {
        return launchFrom(LAUNCHER, workDir, args);
    }

    /** Runs a command through {@code launcher} (a copy of bin/kadshare, with the jars it names), to completion. */
    static Result launchFrom(Path launcher, Path workDir, String... args) throws IOException, InterruptedException {
        return launchFrom(launcher, workDir, Map.of(), args);
    }

    /** Runs a command through {@code launcher}, {@code env} added to its environment, to completion. */
    static Result launchFrom(Path launcher, Path workDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        return execute(workDir, env, cmd);
    }

    /** Runs {@code command} (a program and its arguments), {@code env} added, to completion (at most 2 minutes). */
    private static Result execute(Path workDir, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 2 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    /** A daemon process with its data dir; {@link #close} stops it (kill -9 if it will not go). */
    public static final class Daemon implements AutoCloseable {
        public final Path dataDir;
        public final Process process;
        /** What every command of this daemon runs through: nothing, or {@code ip netns exec NS}. */
        private final List<String> prefix;

        private Daemon(Path dataDir, Process process, List<String> prefix) {
            this.dataDir = dataDir;
            this.process = process;
            this.prefix = prefix;
        }

        public static Daemon start(Path dataDir, String... extra) throws IOException {
            return start(dataDir, Map.of(), extra);
        }

        /** A daemon with {@code env} added to its environment; its stdout and stderr go to DATA_DIR/daemon.out. */
        public static Daemon start(Path dataDir, Map<String, String> env, String... extra) throws IOException {
            List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
            args.addAll(List.of(extra));
            return launch(List.of(), dataDir, env, command(daemonArgs(dataDir, args)));
        }

        /**
         * A daemon on 127.0.0.1 started through bin/kadshare, with the JVM options a user's daemon gets (the
         * benchmarks' daemons); its {@link #cli} commands still run the jar directly.
         */
        public static Daemon startThroughLauncher(Path dataDir, String... extra) throws IOException {
            return startThroughLauncher(LAUNCHER, Map.of(), dataDir, extra);
        }

        /** As {@link #startThroughLauncher(Path, String...)}, through {@code launcher} with {@code env} added. */
        static Daemon startThroughLauncher(Path launcher, Map<String, String> env, Path dataDir, String... extra)
                throws IOException {
            List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
            cmd.addAll(daemonArgs(dataDir, List.of("--host", "127.0.0.1", "--port", "0")));
            cmd.addAll(List.of(extra));
            return launch(List.of(), dataDir, env, cmd);
        }

        /**
         * A daemon inside {@code host}'s network namespace, bound to its address on port {@value #NAMESPACE_PORT};
         * its {@link #cli} commands run in the namespace too.
         */
        public static Daemon startIn(NetLab.Host host, Path dataDir, String... extra) throws IOException {
            return startIn(host, host.address(), dataDir, extra);
        }

        /** As {@link #startIn(NetLab.Host, Path, String...)}, bound to {@code bindHost} ({@code ::}, say) instead of the host's address. */
        public static Daemon startIn(NetLab.Host host, String bindHost, Path dataDir, String... extra) throws IOException {
            List<String> args = new ArrayList<>(List.of("--host", bindHost, "--port", Integer.toString(NAMESPACE_PORT)));
            args.addAll(List.of(extra));
            return launch(host.wrap(List.of()), dataDir, Map.of(), command(host.wrap(List.of()), daemonArgs(dataDir, args)));
        }

        /** The port of every daemon in a namespace: each has the namespace to itself. */
        public static final int NAMESPACE_PORT = 7700;

        private static List<String> daemonArgs(Path dataDir, List<String> options) {
            List<String> args = new ArrayList<>(List.of("daemon", "--data-dir", dataDir.toString()));
            args.addAll(options);
            return args;
        }

        /** Starts {@code command} (a daemon) and waits for its API; {@code prefix} is what its CLI runs through. */
        private static Daemon launch(List<String> prefix, Path dataDir, Map<String, String> env, List<String> command)
                throws IOException {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("daemon.out").toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            Daemon daemon = new Daemon(dataDir, p, prefix);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dataDir.resolve("api.address")) || !p.isAlive());
            if (!p.isAlive()) {
                throw new IllegalStateException("daemon exited: " + Files.readString(dataDir.resolve("daemon.out")));
            }
            return daemon;
        }

        public Result cli(Path workDir, String command, String... args) throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(List.of(command, "--data-dir", dataDir.toString()));
            all.addAll(List.of(args));
            return runThrough(prefix, workDir, all.toArray(String[]::new));
        }

        public JsonNode status(Path workDir) throws Exception {
            Result r = cli(workDir, "status", "--json");
            if (r.exitCode() != 0) {
                throw new IllegalStateException("status failed: " + r);
            }
            return r.json();
        }

        public int port(Path workDir) throws Exception {
            return status(workDir).path("dhtPort").asInt();
        }

        /** The value of the daemon JVM's option starting with {@code prefix} (say {@code -XX:AOTCache=}), if it has one. */
        public Optional<String> jvmOption(String prefix) {
            return jvmArguments().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length()))
                    .findFirst();
        }

        /** The daemon JVM's arguments, options and all (none where the system does not say). */
        public List<String> jvmArguments() {
            return List.of(process.info().arguments().orElse(new String[0]));
        }

        /** What the daemon printed on stdout and stderr so far. */
        public String output() throws IOException {
            return Files.readString(dataDir.resolve("daemon.out"), StandardCharsets.UTF_8);
        }

        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: the daemon flushes and closes
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            }
        }
    }
}
