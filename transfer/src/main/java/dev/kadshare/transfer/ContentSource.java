package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import java.util.Optional;

/** What a server can serve: looked up by content id on the server's event loop. */
public interface ContentSource {
    Optional<SharedContent> find(ContentId id);
}
