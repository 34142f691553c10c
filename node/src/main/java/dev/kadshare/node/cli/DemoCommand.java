package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.kadshare.node.demo.Demo;
import java.io.PrintStream;

/** {@code kadshare demo}: a whole small network in this process, sharing and downloading one file. */
@Parameters(commandNames = "demo", commandDescription = "Run a small network on loopback: one node shares, several download at once")
public final class DemoCommand extends Command {
    @Parameter(names = "--nodes", description = "Nodes in the network")
    int nodes = 30;

    @Parameter(names = "--downloaders", description = "Nodes that download the file at once")
    int downloaders = 6;

    @Parameter(names = "--size-mib", description = "Size of the generated file in MiB")
    int sizeMiB = 64;

    @Parameter(names = "--seed", description = "Seed for the generated file's bytes")
    long seed = 1;

    @Parameter(names = "--sharer-upload-mib", description = "Upload limit of the sharing node in MiB/s; 0 = unlimited")
    int sharerUploadMiBps = 16;

    @Override
    public int run(PrintStream out) throws Exception {
        Demo.Options options;
        try {
            options = new Demo.Options(nodes, downloaders, sizeMiB, seed, sharerUploadMiBps);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        Demo.Outcome outcome = Demo.run(options, out);
        return outcome.allIdentical() ? 0 : CommandLine.FAILED;
    }
}
