package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@code kadshare help [COMMAND]}: the list of commands, or one command's usage. */
@Parameters(commandNames = "help", commandDescription = "List the commands, or show one command's usage")
final class HelpCommand extends Command {
    @Parameter(description = "[COMMAND]")
    List<String> topic = new ArrayList<>();

    private Usage usage;
    private Collection<String> commands = List.of();

    /** What to answer from: the command line that holds this command. */
    void answerFrom(Usage usage, Collection<String> commands) {
        this.usage = usage;
        this.commands = commands;
    }

    @Override
    public int run(PrintStream out) {
        if (topic.size() > 1) {
            throw new UsageError("help takes at most one COMMAND");
        }
        if (topic.isEmpty()) {
            out.print(usage.overview());
            return 0;
        }
        String name = topic.get(0);
        if (!commands.contains(name)) {
            throw new UsageError("unknown command '" + TerminalText.escape(name) + "'"
                    + Suggestions.didYouMean(name, commands));
        }
        out.print(usage.of(name));
        return 0;
    }
}
