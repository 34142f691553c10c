package dev.kadshare.node.cli;

import com.beust.jcommander.JCommander;
import java.util.Map;

/** The text of {@code kadshare help}: the list of commands, or one command's usage. */
final class Usage {
    private final JCommander jc;
    private final Map<String, Command> commands;

    Usage(JCommander jc, Map<String, Command> commands) {
        this.jc = jc;
        this.commands = commands;
    }

    /** Every command with its one-line description. */
    String overview() {
        StringBuilder sb = new StringBuilder("Usage: kadshare [--verbose] COMMAND [OPTIONS] [ARGUMENTS]\n"
                + "       kadshare --version | --help\n\nCommands:\n");
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
        commands.keySet().forEach(name -> sb.append(String.format("  %-" + width + "s  %s%n", name,
                jc.getUsageFormatter().getCommandDescription(name))));
        sb.append("\nRun 'kadshare help COMMAND' (or 'kadshare COMMAND --help') for a command's options.\n");
        return sb.toString();
    }

    /** One command's description, arguments and options, and nothing about the others. */
    String of(String command) {
        // A parser of its own over the command's object, so the usage is headed "kadshare COMMAND".
        JCommander alone = JCommander.newBuilder().addObject(commands.get(command)).programName("kadshare " + command)
                .build();
        StringBuilder sb = new StringBuilder(jc.getUsageFormatter().getCommandDescription(command)).append("\n");
        alone.getUsageFormatter().usage(sb);
        return sb.toString();
    }
}
