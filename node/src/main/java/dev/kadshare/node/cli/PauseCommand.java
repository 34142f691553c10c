package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;
import java.util.Map;

/** {@code kadshare pause ID}: stops a download where it is; {@code resume} continues it. */
@Parameters(commandNames = "pause", commandDescription = "Pause a download")
final class PauseCommand extends IdCommand {
    @Override
    public int run(PrintStream out) {
        String id = id();
        JsonNode t = ControlClient.connect(dataDir()).post("/v1/transfers/" + id + "/pause", Map.of());
        out.println(t.path("name").asText() + " " + t.path("state").asText());
        return 0;
    }
}
