package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;
import java.util.Map;

/** {@code kadshare resume ID}: continues a paused or failed download. */
@Parameters(commandNames = "resume", commandDescription = "Resume a paused or failed download")
final class ResumeCommand extends IdCommand {
    @Override
    public int run(PrintStream out) {
        String id = id();
        JsonNode t = ControlClient.connect(dataDir()).post("/v1/transfers/" + id + "/resume", Map.of());
        out.println(t.path("name").asText() + " " + t.path("state").asText());
        return 0;
    }
}
