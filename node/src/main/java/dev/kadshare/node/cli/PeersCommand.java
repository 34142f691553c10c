package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;

/** {@code kadshare peers}: the routing table in brief, every transfer's peers, and who each share goes to. */
@Parameters(commandNames = "peers", commandDescription = "Show the routing table, the peers of each transfer and who each share is uploaded to")
public final class PeersCommand extends Command {
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
            out.println("downloading " + Listing.name(t) + " (" + Listing.shortId(t) + "): " + t.path("peers").size()
                    + " peer(s)");
            t.path("peers").forEach(p -> out.println("  " + peerLine(p)));
        }
        for (JsonNode s : peers.path("shares")) {
            out.println("sharing " + Listing.name(s) + " (" + Listing.shortId(s) + "): uploading to "
                    + s.path("peers").size() + " peer(s)");
            s.path("peers").forEach(p -> out.println("  " + peerLine(p)));
        }
        return 0;
    }

    private static String peerLine(JsonNode p) {
        String node = p.path("nodeId").isTextual() ? "node " + Listing.shortId(TerminalText.escape(p.path("nodeId").asText())) : "node ?";
        return String.format("%-22s %-21s down %-10s up %-10s bad chunks %d%s", TerminalText.escape(p.path("address").asText()),
                node, Units.bytes(p.path("bytesDownloaded").asLong()), Units.bytes(p.path("bytesUploaded").asLong()),
                p.path("badChunks").asInt(), p.path("dropped").asBoolean() ? ", dropped" : "");
    }
}
