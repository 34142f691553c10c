package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import java.io.PrintStream;
import java.util.List;

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
    protected static void printJson(PrintStream out, com.fasterxml.jackson.databind.JsonNode json) {
        out.println(dev.kadshare.node.api.JsonTrees.pretty(json));
    }

    /** The one link {@code command} was given: a usage error for none, several or a malformed one. */
    protected static MagnetLink oneLink(List<String> links, String command) {
        if (links.size() != 1) {
            throw new UsageError(command + " takes exactly one LINK");
        }
        try {
            return MagnetLink.parse(links.get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    protected DataDir dataDir() {
        return DataDir.resolve(dataDir);
    }

    /** The {@code --data-dir} option as given, to repeat in a command suggested to the user; else "". */
    protected String dataDirOption() {
        return dataDir == null ? "" : " --data-dir " + dataDir;
    }
}
