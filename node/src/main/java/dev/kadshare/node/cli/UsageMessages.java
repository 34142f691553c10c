package dev.kadshare.node.cli;

import com.beust.jcommander.MissingCommandException;
import com.beust.jcommander.ParameterException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what was wrong with a command line in the user's terms. JCommander reports mistakes in its own
 * ("Was passed main parameter 'foo' but no main parameter was defined in your arg class"); each known shape
 * of its messages is rewritten here, and the parser's words never reach the user.
 */
final class UsageMessages {
    private record Rewrite(Pattern pattern, Function<Matcher, String> message) {}

    private final Optional<String> command;
    private final Collection<String> commands;
    private final Collection<String> options;
    private final List<Rewrite> rewrites;

    /**
     * @param command the command being parsed, if the line named a known one
     * @param commands every command name
     * @param options the option names valid where the mistake was (the command's, else the global ones)
     */
    UsageMessages(Optional<String> command, Collection<String> commands, Collection<String> options) {
        this.command = command;
        this.commands = commands;
        this.options = options;
        this.rewrites = List.of(
                new Rewrite(Pattern.compile("Was passed main parameter '(.*)' but no main parameter was defined.*",
                        Pattern.DOTALL), m -> unexpected(m.group(1))),
                new Rewrite(Pattern.compile("Unknown options?: (.*)", Pattern.DOTALL),
                        m -> unknownOption(m.group(1).trim())),
                new Rewrite(Pattern.compile("Expected a value after parameter (.*)"),
                        m -> m.group(1) + " needs a value"),
                new Rewrite(Pattern.compile("Expected (\\d+) values? after (.*)"),
                        m -> m.group(2) + " needs " + m.group(1) + " value(s)"),
                new Rewrite(Pattern.compile("\"(.*)\": couldn't convert \"(.*)\" to (?:an? )?(.*)", Pattern.DOTALL),
                        m -> m.group(1) + ": expected " + typeName(m.group(3)) + ", got '"
                                + TerminalText.escape(m.group(2)) + "'"),
                new Rewrite(Pattern.compile("The following options? (?:is|are) required: (.*)", Pattern.DOTALL),
                        m -> where() + " needs " + m.group(1).replaceAll("\\[|\\]", "").trim()),
                new Rewrite(Pattern.compile("Main parameters are required.*", Pattern.DOTALL),
                        m -> where() + " needs an argument"));
    }

    /** One line saying what is wrong, without the parser's vocabulary. */
    String explain(ParameterException e) {
        if (e instanceof MissingCommandException missing) {
            String typed = missing.getUnknownCommand();
            if (typed.startsWith("-")) {
                return unknownOption(typed);
            }
            return "unknown command '" + TerminalText.escape(typed) + "'" + Suggestions.didYouMean(typed, commands);
        }
        String message = String.valueOf(e.getMessage());
        for (Rewrite rewrite : rewrites) {
            Matcher m = rewrite.pattern().matcher(message);
            if (m.matches()) {
                return rewrite.message().apply(m);
            }
        }
        return TerminalText.escape(message);
    }

    private String unexpected(String argument) {
        if (argument.startsWith("-")) {
            return unknownOption(argument);
        }
        return command.map(c -> c + " takes no arguments, got '" + TerminalText.escape(argument) + "'")
                .orElseGet(() -> "unknown command '" + TerminalText.escape(argument) + "'"
                        + Suggestions.didYouMean(argument, commands));
    }

    private String unknownOption(String option) {
        return "unknown option " + TerminalText.escape(option) + command.map(c -> " for " + c).orElse("")
                + Suggestions.didYouMean(option, options);
    }

    private String where() {
        return command.orElse("kadshare");
    }

    private static String typeName(String jcommanderType) {
        return switch (jcommanderType.trim()) {
            case "integer", "long" -> "a whole number";
            case "double", "float" -> "a number";
            default -> "a " + jcommanderType.trim();
        };
    }
}
