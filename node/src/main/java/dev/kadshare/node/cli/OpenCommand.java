package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ApiError;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.api.Requests;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.api.EventStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code kadshare open LINK}: starts downloading what the link names in sequential order (unless the daemon has it
 * already), waits for its manifest, following the daemon's event stream as {@code get} does (the stream's URLs are
 * asked for again each time the transfer changes), and prints a URL per file that a player can open while it
 * downloads; each URL carries that transfer's stream key, since a player cannot send the API's token.
 */
@Parameters(commandNames = "open", commandDescription = "Start a download (in order) and print a URL a player can open")
public final class OpenCommand extends Command {
    @Parameter(description = "LINK")
    List<String> links = new ArrayList<>();

    @Parameter(names = "--out", description = "Directory to put the file in, if it is not downloading yet (default: the current directory)")
    String out = ".";

    @Override
    public int run(PrintStream stdout) {
        MagnetLink link = oneLink(links, "open");
        ControlClient client = ControlClient.connect(dataDir());
        String id = link.contentId().toHex();
        // Opened first, so that no change between the request and the stream slips by.
        Optional<EventStreamReader> events = TransferFollower.open(client);
        try {
            JsonNode status;
            try {
                status = client.get("/v1/transfers/" + id);
            } catch (ApiError e) {
                if (e.status() != 404) {
                    throw e;
                }
                Path outDir = Path.of(out).toAbsolutePath().normalize();
                status = client.post("/v1/transfers", new Requests.Get(link.format(), outDir.toString(), "sequential"));
            }
            StreamUrls urls = new StreamUrls(client, id);
            new TransferFollower(client, id, urls).follow(status, events);
            for (JsonNode file : urls.known.orElseThrow().path("files")) {
                stdout.println(file.path("url").asText());
            }
            return 0;
        } finally {
            events.ifPresent(TransferFollower::closeQuietly);
        }
    }

    /** Asks for the stream's URLs at each status, until the daemon has them: a 503 until a peer sent the manifest. */
    private static final class StreamUrls implements TransferFollower.Watch {
        private final ControlClient client;
        private final String id;
        Optional<JsonNode> known = Optional.empty();

        StreamUrls(ControlClient client, String id) {
            this.client = client;
            this.id = id;
        }

        @Override
        public OptionalInt on(JsonNode status) {
            switch (status.path("state").asText()) {
                case "FAILED" -> throw TransferFollower.failed(status);
                case "PAUSED" -> throw new ApiError(0, "the download is paused: resume it with 'kadshare resume "
                        + Listing.shortId(id) + "', then open it again");
                default -> {
                    try {
                        known = Optional.of(client.get("/v1/transfers/" + id + "/stream"));
                        return OptionalInt.of(0);
                    } catch (ApiError e) {
                        if (e.status() != 503) {
                            throw e;
                        }
                        return OptionalInt.empty(); // no manifest yet: the next change of the transfer may bring it
                    }
                }
            }
        }
    }
}
