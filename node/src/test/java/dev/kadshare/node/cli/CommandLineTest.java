package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** help, version, and what a bad command line gets: one line in the user's terms, exit 2. */
class CommandLineTest {
    /** Words of JCommander's own messages, which must never reach the user. */
    private static final List<String> PARSER_WORDS = List.of("main parameter", "arg class", "Was passed",
            "couldn't convert", "Expected a", "Unknown option");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status foo             | status takes no arguments, got 'foo'",
            "stop now please        | stop takes no arguments, got 'now'",
            "gte LINK               | unknown command 'gte' (did you mean get?)",
            "stauts                 | unknown command 'stauts' (did you mean status?)",
            "frobnicate             | unknown command 'frobnicate'",
            "status --colour        | unknown option --colour for status",
            "status --jsn           | unknown option --jsn for status (did you mean --json?)",
            "--bogus                | unknown option --bogus",
            "daemon --port          | --port needs a value",
            "demo --nodes x         | --nodes: expected a whole number, got 'x'",
            "help frob              | unknown command 'frob'",
            "help sahre             | unknown command 'sahre' (did you mean share?)",
            "help get share         | help takes at most one COMMAND",
    })
    void everyBadCommandLineGetsOneClearLineAndExitTwo(String line, String expected) {
        CliRun run = CliRun.of(line.trim().split(" +"));
        assertEquals(CommandLine.USAGE, run.exitCode(), run.toString());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("kadshare: " + expected.trim()), "expected '" + expected.trim() + "' in: " + err);
        assertTrue(err.endsWith("(see kadshare help)") || err.matches(".*\\(see kadshare help [a-z]+\\)"), err);
        PARSER_WORDS.forEach(w -> assertFalse(err.contains(w), "parser internals leak: " + err));
        assertEquals("", run.out());
    }

    /** Declares one option twice, which JCommander refuses when it reads the command's options. */
    @Parameters(commandNames = "broken", commandDescription = "Cannot be parsed")
    static final class Broken extends Command {
        @Parameter(names = "--x")
        String first;
        @Parameter(names = "--x")
        String second;

        @Override
        public int run(PrintStream out) {
            return 0;
        }
    }

    @Parameters(commandNames = "fine", commandDescription = "Says so")
    static final class Fine extends Command {
        @Parameter(names = "--word")
        String word = "fine";

        @Override
        public int run(PrintStream out) {
            out.println(word);
            return 0;
        }
    }

    /** JCommander reads the options of every command it is given: a line starting with its command gets only that one. */
    @Test
    void aLineReadsOnlyTheOptionsOfTheCommandItStartsWith() {
        CommandLine line = new CommandLine(CliRun.BUILD, List.of(Broken::new, Fine::new));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertEquals(0, line.run(new String[] {"fine", "--word", "ran"}, new PrintStream(out, true, StandardCharsets.UTF_8), err));
        assertEquals("ran", out.toString(StandardCharsets.UTF_8).strip());
        assertThrows(ParameterException.class, () -> line.run(new String[] {"--verbose", "fine"}, new PrintStream(out), err),
                "a line that does not start with its command reads them all, the broken one too");
    }

    @Test
    void noCommandListsTheCommandsOnStderrAndExitsTwo() {
        CliRun run = CliRun.of();
        assertEquals(CommandLine.USAGE, run.exitCode());
        assertTrue(run.err().contains("Commands:") && run.err().contains("  get "), run.err());
    }

    @Test
    void helpListsEveryCommandWithItsDescription() {
        for (String[] args : new String[][] {{"help"}, {"--help"}, {"-h"}}) {
            CliRun run = CliRun.of(args);
            assertEquals(0, run.exitCode(), run.toString());
            for (String command : List.of("daemon", "share", "get", "status", "search", "peers", "pause", "resume",
                    "remove", "stop", "web", "demo", "help", "version")) {
                assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  " + command + " ")), command + " in " + run.out());
            }
            assertTrue(run.out().contains("Download what a link names"), run.out());
            assertFalse(run.out().contains("--max-upload-rate"), "the overview lists commands, not every option");
        }
    }

    @Test
    void helpCommandAndCommandHelpPrintThatCommandsUsageOnly() {
        CliRun help = CliRun.of("help", "get");
        CliRun dashHelp = CliRun.of("get", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertEquals(0, dashHelp.exitCode(), dashHelp.toString());
        assertEquals(help.out(), dashHelp.out());
        assertTrue(help.out().contains("Usage: kadshare get") && help.out().contains("--out")
                && help.out().contains("--detach"), help.out());
        for (String other : List.of("--json", "--max-upload-rate", "  daemon ", "--bootstrap", "Commands:")) {
            assertFalse(help.out().contains(other), "only get's usage, not " + other + ": " + help.out());
        }
    }

    @Test
    void versionAndDashDashVersionPrintVersionCommitAndJava() {
        for (String arg : List.of("version", "--version")) {
            CliRun run = CliRun.of(arg);
            assertEquals(0, run.exitCode(), run.toString());
            List<String> lines = run.out().lines().toList();
            assertEquals("kadshare 9.9.9-test (commit abc1234)", lines.get(0));
            assertTrue(lines.get(1).startsWith("Java " + Runtime.version() + " ("), lines.get(1));
        }
    }

    @Test
    void aBuildWithoutGitSaysSo() {
        BuildInfo none = BuildInfo.read(new java.io.ByteArrayInputStream("version=1.2.3\ncommit=unknown\n".getBytes()));
        assertTrue(none.describe().startsWith("kadshare 1.2.3 (commit unknown: built outside a git checkout)"),
                none.describe());
        assertEquals(BuildInfo.UNKNOWN, BuildInfo.read(null));
    }
}
