package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import dev.kadshare.node.datadir.DataDir;
import java.io.PrintStream;

/** One {@code kadshare} subcommand: parsed by JCommander, then run; the result is the exit code. */
abstract class Command {
    @Parameter(names = "--data-dir", description = "Data directory (default: $KADSHARE_HOME, else ~/.kadshare)")
    private String dataDir;

    @Parameter(names = {"--help", "-h"}, help = true, description = "Show this command's usage")
    boolean help;

    abstract int run(PrintStream out) throws Exception;

    DataDir dataDir() {
        return DataDir.resolve(dataDir);
    }
}
