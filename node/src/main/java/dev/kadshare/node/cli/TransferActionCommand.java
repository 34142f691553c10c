package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;
import java.util.Map;

/** A command that asks the daemon to do one thing to one transfer ({@code pause}, {@code resume}). */
abstract class TransferActionCommand extends IdCommand {
    private final String action;

    TransferActionCommand(String action) {
        this.action = action;
    }

    @Override
    public int run(PrintStream out) {
        String id = id();
        JsonNode t = ControlClient.connect(dataDir()).post("/v1/transfers/" + id + "/" + action, Map.of());
        out.println(Listing.name(t) + " " + t.path("state").asText());
        return 0;
    }
}
