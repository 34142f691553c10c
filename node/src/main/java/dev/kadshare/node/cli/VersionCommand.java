package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;
import java.io.PrintStream;

/** {@code kadshare version}: the same as {@code kadshare --version}. */
@Parameters(commandNames = "version", commandDescription = "Show the version, git commit and Java version")
final class VersionCommand extends Command {
    private final BuildInfo build;

    VersionCommand(BuildInfo build) {
        this.build = build;
    }

    @Override
    public int run(PrintStream out) {
        out.println(build.describe());
        return 0;
    }
}
