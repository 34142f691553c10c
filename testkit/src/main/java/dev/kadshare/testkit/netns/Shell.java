package dev.kadshare.testkit.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the short system commands a lab is built with (ip, nft, sysctl), each bounded to a minute. */
public final class Shell {
    /** What a finished command returned and printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {}

    /** Whether an executable named {@code tool} is on the PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} to completion. */
    public Result run(String... command) {
        return run(Arrays.asList(command));
    }

    /** Runs {@code command} to completion. */
    public Result run(List<String> command) {
        return execute(command, "");
    }

    /** Runs {@code command} and throws unless it exits 0. */
    public void check(String... command) {
        check(Arrays.asList(command));
    }

    /** {@code prefix} and {@code rest} as one command, which must exit 0. */
    public void check(List<String> prefix, String... rest) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(Arrays.asList(rest));
        expectSuccess(command, execute(command, ""));
    }

    /** Runs {@code command} with {@code input} on its stdin and throws unless it exits 0. */
    public void checkWithInput(String input, String... command) {
        expectSuccess(Arrays.asList(command), execute(Arrays.asList(command), input));
    }

    /** What {@code command} printed, whatever it returned. */
    public String output(String... command) {
        return run(command).output();
    }

    private static void expectSuccess(List<String> command, Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.output().strip());
        }
    }

    private static Result execute(List<String> command, String input) {
        try {
            Path in = Files.createTempFile("netlab-in", ".txt");
            Path out = Files.createTempFile("netlab-out", ".txt");
            try {
                Files.writeString(in, input, StandardCharsets.UTF_8);
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectInput(in.toFile()).redirectOutput(out.toFile()).start();
                if (!p.waitFor(1, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return new Result(-1, String.join(" ", command) + " did not finish in a minute");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted running " + command, e));
        }
    }
}
