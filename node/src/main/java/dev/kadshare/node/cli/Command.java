package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import dev.kadshare.node.datadir.DataDir;
import java.io.PrintStream;

/**
 * One {@code kadshare} subcommand: JCommander parses its annotated fields (the name comes from
 * {@code @Parameters(commandNames = ...)}), then {@link #run} returns the exit code. Other modules add
 * subcommands by listing their subclasses in {@code META-INF/services/dev.kadshare.node.cli.Command}.
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
}
