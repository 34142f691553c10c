package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;

/** {@code kadshare peers}: the routing table in brief and every transfer's peers. */
@Parameters(commandNames = "peers", commandDescription = "Show the routing table and the peers of each transfer")
final class PeersCommand extends Command {
    @Parameter(names = "--json", description = "Print as JSON")
    boolean json;

    @Override
    public int run(PrintStream out) throws Exception {
        JsonNode peers = ControlClient.connect(dataDir()).get("/v1/peers");
        if (json) {
            printJson(out, peers);
            return 0;
        }
        out.println("routing table: " + peers.path("routingTableSize").asInt() + " contact(s)");
        for (JsonNode t : peers.path("transfers")) {
            out.println(t.path("name").asText() + " (" + t.path("contentId").asText().substring(0, 16) + "): "
                    + t.path("peers").size() + " peer(s)");
            for (JsonNode p : t.path("peers")) {
                out.printf("  %-22s down %-10s up %-10s bad chunks %d%s%n", p.path("address").asText(),
                        ProgressDisplay.formatBytes(p.path("bytesDownloaded").asLong()),
                        ProgressDisplay.formatBytes(p.path("bytesUploaded").asLong()), p.path("badChunks").asInt(),
                        p.path("dropped").asBoolean() ? ", dropped" : "");
            }
        }
        return 0;
    }
}
