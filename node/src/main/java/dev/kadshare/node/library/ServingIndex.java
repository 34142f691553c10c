package dev.kadshare.node.library;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.netty.NettyDownload;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** What the transfer server may serve: the library's complete content, then the chunks downloads already hold. */
public final class ServingIndex implements ContentSource {
    private final Library library;
    private final Map<ContentId, NettyDownload> partial = new ConcurrentHashMap<>();
    /** Told of a share it took out of the library because its files changed; set by the node once it exists. */
    private volatile Consumer<SharedContent> unshared = c -> { };

    public ServingIndex(Library library) {
        this.library = library;
    }

    /** Whom to tell of a share taken out of the library because the server found its files changed: the node. */
    public void whenUnshared(Consumer<SharedContent> unshared) {
        this.unshared = unshared;
    }

    /** Takes the share out of the library, unless it was shared anew since (stamped otherwise), and says so. */
    @Override
    public void changed(ContentId id, ContentStamps stamps) {
        library.removeChanged(id, stamps).ifPresent(unshared);
    }

    public void addPartial(ContentId id, NettyDownload download) {
        partial.put(id, download);
    }

    public void removePartial(ContentId id) {
        partial.remove(id);
    }

    @Override
    public Optional<SharedContent> find(ContentId id) {
        return library.find(id);
    }

    @Override
    public Optional<ServedContent> serve(ContentId id) {
        Optional<ServedContent> complete = library.find(id).map(ServedContent::complete);
        if (complete.isPresent()) {
            return complete;
        }
        NettyDownload download = partial.get(id);
        return download == null ? Optional.empty() : download.served();
    }
}
