package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.store.ContentStamps;
import java.util.Optional;

/** What a server can serve: looked up by content id on the server's event loop. */
public interface ContentSource {
    /** Complete content shared under {@code id}. */
    Optional<SharedContent> find(ContentId id);

    /**
     * Everything servable under {@code id}, partial downloads included. The default serves only complete
     * shares; a node that also serves its downloads in progress overrides this, e.g.
     * {@code find(id).map(ServedContent::complete).or(() -> downloadOf(id).flatMap(NettyDownload::served))}.
     */
    default Optional<ServedContent> serve(ContentId id) {
        return find(id).map(ServedContent::complete);
    }

    /**
     * The server found a file of {@code id}'s complete content changed since it was stamped as {@code stamps}, and
     * serves none of it: the source should stop offering that content (a node stops sharing it). From a hub's loop.
     */
    default void changed(ContentId id, ContentStamps stamps) {
    }
}
