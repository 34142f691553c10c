package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import java.util.Optional;
import java.util.function.Supplier;

/** A test source that serves only what {@code served} gives (a download in progress), and no complete share. */
public record ServingOnly(Supplier<Optional<ServedContent>> served) implements ContentSource {
    /** Serves {@code partial} under any id. */
    public static ServingOnly of(ServedContent partial) {
        return new ServingOnly(() -> Optional.of(partial));
    }

    @Override
    public Optional<SharedContent> find(ContentId id) {
        return Optional.empty();
    }

    @Override
    public Optional<ServedContent> serve(ContentId id) {
        return served.get();
    }
}
