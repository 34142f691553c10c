package dev.kadshare.node.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterDescription;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import dev.kadshare.node.api.ApiError;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code kadshare} command line over a given set of commands: parses, dispatches, answers {@code help},
 * {@code --help}, {@code version} and {@code --version} itself, and turns every failure into one line and an
 * exit code. Which commands a program offers is its own choice (the jar's is made in {@code app/}).
 */
public final class CommandLine {
    /** Exit code for a failure of the command itself. */
    public static final int FAILED = 1;
    /** Exit code for a command line or input the command cannot use. */
    public static final int USAGE = 2;

    private final BuildInfo build;
    private final List<Supplier<? extends Command>> commands;

    /** The options before the command name. */
    private static final class GlobalOptions {
        @Parameter(names = {"--help", "-h"}, help = true, description = "Show the commands")
        boolean help;

        @Parameter(names = "--version", description = "Show the version, git commit and Java version")
        boolean version;

        @Parameter(names = "--verbose", description = "Show stack traces on unexpected errors")
        boolean verbose;
    }

    /** @param commands makes each command afresh for one run (JCommander fills in the object it parses into) */
    public CommandLine(BuildInfo build, List<Supplier<? extends Command>> commands) {
        this.build = build;
        this.commands = List.copyOf(commands);
    }

    /** Runs one command line and returns its exit code; never throws. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        GlobalOptions global = new GlobalOptions();
        Map<String, Command> byName = new LinkedHashMap<>();
        JCommander.Builder builder = JCommander.newBuilder().addObject(global).programName("kadshare");
        List<Command> all = new ArrayList<>();
        commands.forEach(c -> all.add(c.get()));
        HelpCommand help = new HelpCommand();
        all.add(help);
        all.add(new VersionCommand(build));
        for (Command c : needed(args, all)) {
            builder.addCommand(c);
        }
        JCommander jc = builder.build();
        jc.getCommands().forEach((name, sub) -> byName.put(name, (Command) sub.getObjects().get(0)));
        Usage usage = new Usage(jc, byName);
        help.answerFrom(usage, byName.keySet());
        Optional<String> named = commandNamed(args, byName);
        try {
            jc.parse(args);
            String name = jc.getParsedCommand();
            if (global.version) {
                out.println(build.describe());
                return 0;
            }
            if (global.help) {
                out.print(usage.overview());
                return 0;
            }
            if (name == null) {
                err.print(usage.overview());
                return USAGE;
            }
            Command command = byName.get(name);
            if (command.help) {
                out.print(usage.of(name));
                return 0;
            }
            return command.run(out);
        } catch (ParameterException e) {
            List<String> options = optionNames(named.map(n -> jc.getCommands().get(n)).orElse(jc));
            err.println("kadshare: " + new UsageMessages(named, byName.keySet(), options).explain(e)
                    + " (see " + helpFor(named) + ")");
            return USAGE;
        } catch (UsageError e) {
            err.println("kadshare: " + TerminalText.escape(e.getMessage()) + " (see " + helpFor(named) + ")");
            return USAGE;
        } catch (ApiError e) {
            // The daemon's errors can quote what a remote peer chose (a name), so they are escaped too.
            err.println("kadshare: " + TerminalText.escape(e.getMessage()));
            return FAILED;
        } catch (Exception e) {
            err.println("kadshare: " + describe(e));
            if (global.verbose) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    /**
     * The commands a line needs parsed: only the one it starts with, unless that is help; else all of them, for help,
     * the overview and suggestions. JCommander reads every option of every command it is given, which was a third of
     * a short command's start.
     */
    private static List<Command> needed(String[] args, List<Command> all) {
        if (args.length == 0 || args[0].equals("help")) {
            return all;
        }
        for (Command c : all) {
            Parameters names = c.getClass().getAnnotation(Parameters.class);
            if (names != null && Arrays.asList(names.commandNames()).contains(args[0])) {
                return List.of(c);
            }
        }
        return all;
    }

    /** The command a line names: global options take no values, so it is the first word that is not one. */
    private static Optional<String> commandNamed(String[] args, Map<String, Command> commands) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().filter(commands::containsKey);
    }

    private static String helpFor(Optional<String> command) {
        return command.map(c -> "kadshare help " + c).orElse("kadshare help");
    }

    private static List<String> optionNames(JCommander jc) {
        List<String> names = new ArrayList<>();
        for (ParameterDescription p : jc.getParameters()) {
            names.addAll(Arrays.asList(p.getParameter().names()));
        }
        return names;
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return TerminalText.escape(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
    }
}
