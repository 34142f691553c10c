package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * A command that acts on one transfer or share, named by its content id, an unambiguous prefix of it, or the link
 * {@code share} printed and {@code get} was given (users paste what they have).
 */
abstract class IdCommand extends Command {
    @Parameter(description = "ID")
    List<String> ids = new ArrayList<>();

    String id() {
        if (ids.size() != 1) {
            throw new UsageError("expected exactly one ID (a content id, an unambiguous prefix of one, or its link)");
        }
        String id = ids.get(0);
        if (id.startsWith("magnet:")) {
            return oneLink(ids, "this command").contentId().toHex();
        }
        if (!id.matches("[0-9a-fA-F]{1,64}")) {
            throw new UsageError("ID must be hex digits of a content id, or its magnet link, got '" + id + "'");
        }
        return id;
    }
}
