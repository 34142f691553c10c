package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code kadshare status}: the node, what it shares and what it downloads. */
@Parameters(commandNames = "status", commandDescription = "Show the node, its shares and its transfers")
public final class StatusCommand extends Command {
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
        out.println("reach     " + reachLine(status.path("reachability")));
        JsonNode bans = status.path("bans");
        out.println("banned    " + bans.path("nodeIds").asInt() + " node id(s), " + bans.path("ips").asInt()
                + " host(s), " + bans.path("endpoints").asInt() + " loopback address(es)");
        StringBuilder refused = new StringBuilder();
        status.path("connectionDrops").fields().forEachRemaining(drop -> {
            if (drop.getValue().asLong() > 0) {
                refused.append(refused.length() == 0 ? "" : ", ").append(drop.getKey()).append(' ')
                        .append(drop.getValue().asLong());
            }
        });
        out.println("refused   " + (refused.length() == 0 ? "no connection" : refused));
        printLan(out, status.path("lan"));
        out.println("shares    " + status.path("shares").size());
        for (JsonNode share : status.path("shares")) {
            out.println("  " + Listing.shortId(share) + "  " + Listing.name(share) + "  "
                    + Units.bytes(share.path("size").asLong()) + ", uploaded "
                    + Units.bytes(share.path("bytesUploaded").asLong()));
            printPath(out, share);
        }
        out.println("transfers " + status.path("transfers").size());
        for (JsonNode t : status.path("transfers")) {
            out.println("  " + Listing.shortId(t) + "  " + Listing.name(t));
            out.println("    " + transferLine(t));
            printPath(out, t); // once complete: the name actually used, "x (1).bin" when x.bin was taken
            if (t.hasNonNull("reason") && !t.path("reason").asText().isEmpty()) {
                out.println("    waiting: " + TerminalText.escape(t.path("reason").asText()));
            }
            if (t.hasNonNull("error") && !t.path("error").asText().isEmpty()) {
                out.println("    error: " + TerminalText.escape(t.path("error").asText()));
            }
        }
        return 0;
    }

    /** The mapping, the external address and how many observers said so: {@code PORT_PRESERVING 198.51.100.1:7700 (3 observers)}. */
    static String reachLine(JsonNode reach) {
        String external = reach.hasNonNull("externalAddress") ? " " + TerminalText.escape(reach.path("externalAddress").asText()) : "";
        return reach.path("mapping").asText("UNKNOWN") + external + " (" + reach.path("observers").asInt() + " observer(s))";
    }

    /** LAN discovery: off, or where it runs and the nodes it heard. */
    private static void printLan(PrintStream out, JsonNode lan) {
        if (!lan.path("enabled").asBoolean()) {
            out.println("lan       discovery off");
            return;
        }
        List<String> interfaces = new ArrayList<>();
        lan.path("interfaces").forEach(i -> interfaces.add(TerminalText.escape(i.asText())));
        out.println("lan       discovery on " + lan.path("group").asText() + " via "
                + (interfaces.isEmpty() ? "no interface" : String.join(", ", interfaces)) + "; "
                + lan.path("peers").size() + " node(s) heard");
        for (JsonNode peer : lan.path("peers")) {
            out.println("  " + peer.path("nodeId").asText().substring(0, Math.min(12, peer.path("nodeId").asText().length()))
                    + "  " + peer.path("address").asText() + " on " + TerminalText.escape(peer.path("interfaceName").asText())
                    + ", fetching " + peer.path("fetching").asInt() + ", heard " + peer.path("lastSeenSecondsAgo").asLong()
                    + " s ago");
        }
    }

    /** The file or directory a share is served from, or a download was saved as, if there is one yet. */
    private static void printPath(PrintStream out, JsonNode content) {
        if (content.hasNonNull("path")) {
            out.println("    path: " + TerminalText.escape(content.path("path").asText()));
        }
    }

    /** State, progress, rates, ETA, peers and uploaded bytes of one transfer; "-" for what the daemon did not say. */
    static String transferLine(JsonNode t) {
        int verified = t.path("chunksVerified").asInt();
        int total = t.path("chunksTotal").asInt();
        String percent = total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * verified / total);
        return String.format(Locale.ROOT, "%-11s %6s %d/%d chunks (%s of %s)  down %s  up %s  eta %s  %d peer(s)  uploaded %s",
                t.path("state").asText(), percent, verified, total, Units.bytes(t.path("bytesDownloaded").asLong()),
                Units.bytes(t.path("size").asLong()), rate(t, "downloadRate"), rate(t, "uploadRate"), eta(t),
                t.path("peers").size(), Units.bytes(t.path("bytesUploaded").asLong()));
    }

    private static String rate(JsonNode t, String field) {
        return t.path(field).isNumber() ? Units.rate(t.path(field).asDouble()) : "-";
    }

    private static String eta(JsonNode t) {
        return t.path("etaSeconds").isNumber() ? Units.duration(t.path("etaSeconds").asLong()) : "-";
    }
}
