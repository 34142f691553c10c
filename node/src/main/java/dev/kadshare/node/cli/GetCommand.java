package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ApiError;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.api.Requests;
import dev.kadshare.node.link.MagnetLink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** {@code kadshare get LINK}: asks the daemon to download, shows progress, exits 0 once the file is verified. */
@Parameters(commandNames = "get", commandDescription = "Download what a link names; exits 0 once the file is complete and verified")
final class GetCommand extends Command {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @Parameter(description = "LINK")
    List<String> links = new ArrayList<>();

    @Parameter(names = "--out", description = "Directory to put the file in (default: the current directory)")
    String out = ".";

    @Parameter(names = "--detach", description = "Return once the daemon has the download; it continues in the background")
    boolean detach;

    @Override
    public int run(PrintStream stdout) {
        if (links.size() != 1) {
            throw new UsageError("get takes exactly one LINK");
        }
        MagnetLink link;
        try {
            link = MagnetLink.parse(links.get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        Path outDir = Path.of(out).toAbsolutePath().normalize();
        ControlClient client = ControlClient.connect(dataDir());
        JsonNode status = client.post("/v1/transfers", new Requests.Get(link.format(), outDir.toString()));
        String id = status.path("contentId").asText();
        if (detach) {
            stdout.println("downloading " + status.path("name").asText() + " into " + outDir + " (id " + id + ")");
            return 0;
        }
        ProgressDisplay display = new ProgressDisplay(stdout, System.console() != null);
        while (true) {
            display.show(status);
            switch (status.path("state").asText()) {
                case "COMPLETE" -> {
                    display.finish();
                    stdout.println("complete: " + status.path("path").asText());
                    return 0;
                }
                case "FAILED" -> {
                    display.finish();
                    throw new ApiError(0, "download failed: " + status.path("error").asText());
                }
                default -> LockSupport.parkNanos(POLL_NANOS);
            }
            status = client.get("/v1/transfers/" + id);
        }
    }
}
