package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kadshare remove ID}: forgets a transfer or share and stops serving it; optionally deletes what was
 * downloaded, and, only when asked separately, the file a share was made from.
 */
@Parameters(commandNames = "remove", commandDescription = "Stop and forget a transfer or share")
public final class RemoveCommand extends IdCommand {
    @Parameter(names = "--delete-data", description = "Also delete what was downloaded: the partial or the finished file or directory")
    boolean deleteData;

    @Parameter(names = "--delete-original", description = "Also delete the file or directory a share was made from (the user's own)")
    boolean deleteOriginal;

    @Override
    public int run(PrintStream out) {
        String id = id();
        List<String> flags = new ArrayList<>();
        if (deleteData) {
            flags.add("deleteData=true");
        }
        if (deleteOriginal) {
            flags.add("deleteOriginal=true");
        }
        JsonNode r = ControlClient.connect(dataDir())
                .delete("/v1/content/" + id + (flags.isEmpty() ? "" : "?" + String.join("&", flags)));
        StringBuilder line = new StringBuilder("removed " + r.path("removed").asText());
        if (r.path("dataDeleted").asBoolean()) {
            line.append(", deleted its data");
        }
        if (r.path("originalDeleted").asBoolean()) {
            line.append(", deleted the shared original");
        }
        if (!r.path("originalKept").isNull() && r.path("originalKept").isTextual()) {
            line.append("; kept the shared original ").append(r.path("originalKept").asText())
                    .append(" (--delete-original deletes it)");
        }
        JsonNode edited = r.path("editedKept");
        if (edited.isArray() && !edited.isEmpty()) {
            line.append("; kept ").append(edited.size() == 1 ? "a file" : edited.size() + " files")
                    .append(" edited since the download: ").append(TerminalText.escape(edited.get(0).asText()))
                    .append(edited.size() > 1 ? " and " + (edited.size() - 1) + " more" : "");
        }
        out.println(line);
        return 0;
    }
}
