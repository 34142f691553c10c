package dev.kadshare.node.library;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.netty.NettyDownload;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the transfer server may serve: the library's complete content, then the chunks downloads already hold. */
public final class ServingIndex implements ContentSource {
    private final Library library;
    private final Map<ContentId, NettyDownload> partial = new ConcurrentHashMap<>();

    public ServingIndex(Library library) {
        this.library = library;
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
