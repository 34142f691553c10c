package dev.kadshare.node.cli;

import com.beust.jcommander.Parameter;
import java.util.ArrayList;
import java.util.List;

/** A command that acts on one transfer or share, named by its content id or an unambiguous prefix of it. */
abstract class IdCommand extends Command {
    @Parameter(description = "ID")
    List<String> ids = new ArrayList<>();

    String id() {
        if (ids.size() != 1) {
            throw new UsageError("expected exactly one ID (a content id, or an unambiguous prefix of one)");
        }
        String id = ids.get(0);
        if (!id.matches("[0-9a-fA-F]{1,64}")) {
            throw new UsageError("ID must be hex digits of a content id, got '" + id + "'");
        }
        return id;
    }
}
