package dev.kadshare.node.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** One in-process run of the CLI, with what it printed. */
record CliRun(int exitCode, String out, String err) {
    /** The node module's own commands (the jar adds simulate: app's Main). */
    static final List<Supplier<? extends Command>> NODE_COMMANDS = List.of(DaemonCommand::new, ShareCommand::new,
            GetCommand::new, OpenCommand::new, StatusCommand::new, SearchCommand::new, PeersCommand::new, PauseCommand::new,
            ResumeCommand::new, RemoveCommand::new, StopCommand::new, WebCommand::new, DemoCommand::new);

    static final BuildInfo BUILD = new BuildInfo("9.9.9-test", java.util.Optional.of("abc1234"));

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(BUILD, NODE_COMMANDS).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String lastLine() {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
