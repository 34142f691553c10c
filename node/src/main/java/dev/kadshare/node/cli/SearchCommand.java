package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.transfer.content.ContentId;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code kadshare search WORDS...}: shares whose names (or files' names) have words starting with the given ones, found through the DHT. */
@Parameters(commandNames = "search", commandDescription = "Find content by words of its name; prints each hit's link")
public final class SearchCommand extends Command {
    @Parameter(description = "WORDS")
    List<String> words = new ArrayList<>();

    @Parameter(names = "--json", description = "Print the results as JSON")
    boolean json;

    /** Said after "nothing found" when the daemon's routing table is empty. */
    static final String ALONE = "this node knows no other node yet, so no one was asked: its daemon needs"
            + " --bootstrap HOST:PORT of a node that answers";

    @Override
    public int run(PrintStream out) throws Exception {
        if (words.isEmpty()) {
            throw new UsageError("search needs at least one word");
        }
        String query = String.join(" ", words);
        JsonNode found = ControlClient.connect(dataDir())
                .get("/v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (json) {
            printJson(out, found);
            return 0;
        }
        JsonNode results = found.path("results");
        if (results.isEmpty()) {
            out.println("nothing found for '" + TerminalText.escape(query) + "'");
            fetchHint(query).ifPresent(out::println);
            // Nothing found by asking no one says nothing of the network: say so.
            if (found.path("routingTableSize").asInt(-1) == 0) {
                out.println(ALONE);
            }
        }
        // Words as the daemon split the query ("ubuntu-desktop" is two), so matched never exceeds them.
        int searched = found.path("words").size();
        for (JsonNode r : results) {
            JsonNode peers = r.path("peers");
            out.println(Listing.name(r) + "  " + Units.bytes(r.path("size").asLong())
                    + "  " + r.path("matched").size() + "/" + searched + " words"
                    + "  " + (peers.isNumber() ? peers.asInt() + (peers.asInt() == 1 ? " peer" : " peers") : "peers unknown"));
            for (JsonNode file : r.path("files")) {
                out.println("  file: " + TerminalText.escape(file.asText()));
            }
            out.println("  " + TerminalText.escape(r.path("link").asText()));
        }
        return 0;
    }

    /**
     * For a query that is a content id or a link, which search finds no name for: how to fetch what it names. Search
     * looks for words of names, and an id pasted into it is a mistake to expect.
     */
    private static Optional<String> fetchHint(String query) {
        try {
            MagnetLink link = query.startsWith("magnet:") ? MagnetLink.parse(query)
                    : new MagnetLink(ContentId.fromHex(query), Optional.empty(), OptionalLong.empty(), List.of());
            return Optional.of("search looks for words of names, not ids; to fetch it: kadshare get '"
                    + TerminalText.escape(link.format()) + "'");
        } catch (IllegalArgumentException e) { // neither a link nor an id: nothing to add
            return Optional.empty();
        }
    }
}
