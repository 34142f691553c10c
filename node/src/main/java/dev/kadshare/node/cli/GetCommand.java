package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ApiError;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.api.EventStreamReader;
import dev.kadshare.node.api.Requests;
import dev.kadshare.node.link.MagnetLink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code kadshare get LINK}: asks the daemon to download, shows progress, exits 0 once the file is verified. */
@Parameters(commandNames = "get", commandDescription = "Download what a link names; exits 0 once the file is complete and verified")
public final class GetCommand extends Command {
    @Parameter(description = "LINK")
    List<String> links = new ArrayList<>();

    @Parameter(names = "--out", description = "Directory to put the file in (default: the current directory)")
    String out = ".";

    @Parameter(names = "--detach", description = "Return once the daemon has the download; it continues in the background")
    boolean detach;

    @Parameter(names = "--sequential", description = "Ask for the chunks mostly in order, to play the file while it downloads")
    boolean sequential;

    @Override
    public int run(PrintStream stdout) {
        MagnetLink link = oneLink(links, "get");
        Path outDir = Path.of(out).toAbsolutePath().normalize();
        ControlClient client = ControlClient.connect(dataDir());
        Optional<EventStreamReader> events = detach ? Optional.empty() : TransferFollower.open(client);
        try {
            return get(client, link, outDir, events, stdout);
        } finally {
            events.ifPresent(TransferFollower::closeQuietly);
        }
    }

    private int get(ControlClient client, MagnetLink link, Path outDir, Optional<EventStreamReader> events,
            PrintStream stdout) {
        JsonNode status = client.post("/v1/transfers", new Requests.Get(link.format(), outDir.toString(),
                sequential ? "sequential" : null));
        String id = status.path("contentId").asText();
        String name = TerminalText.escape(status.path("name").asText());
        if (detach) {
            stdout.println("downloading " + name + " into " + TerminalText.escape(outDir.toString()) + " (id " + id + ")");
            return 0;
        }
        ProgressDisplay display = new ProgressDisplay(stdout, TerminalWidth.ofSystemTerminal());
        Thread interrupted = new Thread(() -> {
            display.finish();
            System.err.println(whatHappensNext(name, id));
            System.err.flush();
        }, "kadshare-get-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return new TransferFollower(client, id, TransferFollower.untilDone(display, stdout))
                    .follow(status, events);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // Already shutting down (Ctrl-C): the hook is saying what happens next.
            }
        }
    }

    /** What Ctrl-C leaves behind: the daemon goes on, and how to stop it. */
    private String whatHappensNext(String name, String id) {
        String shortId = Listing.shortId(id);
        return "kadshare: stopped watching; the daemon keeps downloading " + name + " (id " + shortId + ")."
                + " Pause it with 'kadshare pause " + shortId + dataDirOption() + "', cancel it with 'kadshare remove "
                + shortId + dataDirOption() + "', follow it with 'kadshare status" + dataDirOption() + "'.";
    }
}
