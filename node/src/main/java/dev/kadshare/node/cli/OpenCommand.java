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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kadshare open LINK}: starts downloading what the link names in sequential order (unless the daemon has it
 * already), waits for its manifest, and prints a URL per file that a player can open while it downloads; each URL
 * carries that transfer's stream key, since a player cannot send the API's token.
 */
@Parameters(commandNames = "open", commandDescription = "Start a download (in order) and print a URL a player can open")
public final class OpenCommand extends Command {
    /** How long to wait for a peer to send the manifest. */
    private static final Duration MANIFEST_WAIT = Duration.ofMinutes(2);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    @Parameter(description = "LINK")
    List<String> links = new ArrayList<>();

    @Parameter(names = "--out", description = "Directory to put the file in, if it is not downloading yet (default: the current directory)")
    String out = ".";

    @Override
    public int run(PrintStream stdout) throws InterruptedException {
        MagnetLink link = oneLink(links, "open");
        ControlClient client = ControlClient.connect(dataDir());
        String id = link.contentId().toHex();
        try {
            client.get("/v1/transfers/" + id);
        } catch (ApiError e) {
            if (e.status() != 404) {
                throw e;
            }
            Path outDir = Path.of(out).toAbsolutePath().normalize();
            client.post("/v1/transfers", new Requests.Get(link.format(), outDir.toString(), "sequential"));
        }
        JsonNode stream = streamOnceKnown(client, id);
        for (JsonNode file : stream.path("files")) {
            stdout.println(file.path("url").asText());
        }
        return 0;
    }

    /** The stream's URLs, once a peer sent the manifest: until then the daemon answers 503. */
    private static JsonNode streamOnceKnown(ControlClient client, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(MANIFEST_WAIT);
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return client.get("/v1/transfers/" + id + "/stream");
            } catch (ApiError e) {
                if (e.status() != 503 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
