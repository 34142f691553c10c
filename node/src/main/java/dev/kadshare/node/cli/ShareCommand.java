package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.api.Requests;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code kadshare share PATH}: hashes, registers and announces a file or directory; prints its link last. */
@Parameters(commandNames = "share", commandDescription = "Share a file or directory; prints its link as the last line")
public final class ShareCommand extends Command {
    @Parameter(description = "PATH")
    List<String> paths = new ArrayList<>();

    @Parameter(names = "--name", description = "Name downloaders see (default: the file's name)")
    String name;

    @Override
    public int run(PrintStream out) {
        if (paths.size() != 1) {
            throw new UsageError("share takes exactly one PATH");
        }
        Path file = Path.of(paths.get(0)).toAbsolutePath().normalize();
        if (!Files.isReadable(file) || !(Files.isRegularFile(file) || Files.isDirectory(file))) {
            throw new UsageError("cannot read file or directory " + file);
        }
        JsonNode shared = ControlClient.connect(dataDir())
                .postWithoutTimeout("/v1/shares", new Requests.Share(file.toString(), name));
        out.println("shared " + Listing.name(shared) + " (" + shared.path("size").asLong() + " bytes), id "
                + shared.path("contentId").asText() + ", announced to " + shared.path("announcedTo").asInt() + " node(s)");
        out.println(TerminalText.escape(shared.path("link").asText()));
        return 0;
    }
}
