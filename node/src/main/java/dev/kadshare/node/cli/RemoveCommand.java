package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;

/** {@code kadshare remove ID}: forgets a transfer or share and stops serving it; optionally deletes the file. */
@Parameters(commandNames = "remove", commandDescription = "Stop and forget a transfer or share")
public final class RemoveCommand extends IdCommand {
    @Parameter(names = "--delete-data", description = "Also delete the downloaded or shared file")
    boolean deleteData;

    @Override
    public int run(PrintStream out) {
        String id = id();
        JsonNode r = ControlClient.connect(dataDir()).delete("/v1/content/" + id + (deleteData ? "?deleteData=true" : ""));
        out.println("removed " + r.path("removed").asText() + (deleteData ? " and deleted its data" : ""));
        return 0;
    }
}
