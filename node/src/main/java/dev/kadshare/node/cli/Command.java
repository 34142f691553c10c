package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import dev.kadshare.node.datadir.DataDir;
import java.io.PrintStream;

/**
 * One {@code kadshare} subcommand: JCommander parses its annotated fields (the name comes from
 * {@code @Parameters(commandNames = ...)}), then {@link #run} returns the exit code. A program chooses its
 * commands when it builds its {@link CommandLine} (the jar's list is in {@code app/}).
 */
public abstract class Command {
    @Parameter(names = "--data-dir", description = "Data directory (default: $KADSHARE_HOME, else ~/.kadshare)")
    private String dataDir;

    @Parameter(names = {"--help", "-h"}, help = true, description = "Show this command's usage")
    boolean help;

    /** Runs the command; throw {@link UsageError} for input it cannot use. */
    public abstract int run(PrintStream out) throws Exception;

    /** Prints an API answer as indented JSON, for the {@code --json} options. */
    protected static void printJson(PrintStream out, com.fasterxml.jackson.databind.JsonNode json) throws java.io.IOException {
        out.println(dev.kadshare.node.api.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    protected DataDir dataDir() {
        return DataDir.resolve(dataDir);
    }

    /** The {@code --data-dir} option as given, to repeat in a command suggested to the user; else "". */
    protected String dataDirOption() {
        return dataDir == null ? "" : " --data-dir " + dataDir;
    }
}
