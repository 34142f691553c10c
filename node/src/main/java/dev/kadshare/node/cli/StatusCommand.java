package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;

/** {@code kadshare status}: the node, what it shares and what it downloads. */
@Parameters(commandNames = "status", commandDescription = "Show the node, its shares and its transfers")
final class StatusCommand extends Command {
    @Parameter(names = "--json", description = "Print the status as JSON")
    boolean json;

    @Override
    public int run(PrintStream out) throws Exception {
        JsonNode status = ControlClient.connect(dataDir()).get("/v1/status");
        if (json) {
            printJson(out, status);
            return 0;
        }
        out.println("node      " + status.path("nodeId").asText());
        out.println("ports     dht udp " + status.path("dhtPort").asInt() + ", transfer tcp " + status.path("transferPort").asInt());
        out.println("routing   " + status.path("routingTableSize").asInt() + " contact(s)");
        out.println("shares    " + status.path("shares").size());
        for (JsonNode share : status.path("shares")) {
            out.println("  " + share.path("contentId").asText().substring(0, 16) + "  " + share.path("name").asText()
                    + "  " + ProgressDisplay.formatBytes(share.path("size").asLong()));
        }
        out.println("transfers " + status.path("transfers").size());
        for (JsonNode t : status.path("transfers")) {
            out.println("  " + t.path("contentId").asText().substring(0, 16) + "  " + t.path("name").asText() + "  "
                    + t.path("state").asText() + "  " + t.path("chunksVerified").asInt() + "/" + t.path("chunksTotal").asInt()
                    + " chunks, " + t.path("peers").size() + " peer(s)");
        }
        return 0;
    }
}
