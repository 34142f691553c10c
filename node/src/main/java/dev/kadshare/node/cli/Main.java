package dev.kadshare.node.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import dev.kadshare.node.api.ApiError;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The {@code kadshare} command line: parses, dispatches, and turns every failure into one line and an exit code. */
public final class Main {
    /** Exit code for a failure of the command itself. */
    static final int FAILED = 1;
    /** Exit code for input the command cannot use. */
    static final int USAGE = 2;

    @Parameter(names = {"--help", "-h"}, help = true, description = "Show usage")
    private boolean help;

    @Parameter(names = "--verbose", description = "Show stack traces on errors")
    private boolean verbose;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code; never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main();
        List<Command> commands = new ArrayList<>(List.of(new DaemonCommand(), new ShareCommand(), new GetCommand(),
                new StatusCommand(), new SearchCommand(), new PeersCommand(), new PauseCommand(), new ResumeCommand(), new RemoveCommand(),
                new StopCommand(), new DemoCommand()));
        ServiceLoader.load(Command.class).forEach(commands::add);
        JCommander.Builder builder = JCommander.newBuilder().addObject(main).programName("kadshare");
        commands.forEach(builder::addCommand);
        JCommander jc = builder.build();
        try {
            jc.parse(args);
            String name = jc.getParsedCommand();
            if (main.help || name == null) {
                usage(jc, null, out);
                return name == null && !main.help ? USAGE : 0;
            }
            Command command = (Command) jc.getCommands().get(name).getObjects().get(0);
            if (command.help) {
                usage(jc, name, out);
                return 0;
            }
            return command.run(out);
        } catch (ParameterException | UsageError e) {
            err.println("kadshare: " + e.getMessage() + " (see kadshare --help)");
            return USAGE;
        } catch (ApiError e) {
            err.println("kadshare: " + e.getMessage());
            return FAILED;
        } catch (Exception e) {
            err.println("kadshare: " + describe(e));
            if (main.verbose) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static void usage(JCommander jc, String command, PrintStream out) {
        StringBuilder sb = new StringBuilder();
        if (command == null) {
            jc.getUsageFormatter().usage(sb);
        } else {
            jc.getUsageFormatter().usage(command, sb);
        }
        out.print(sb);
    }
}
