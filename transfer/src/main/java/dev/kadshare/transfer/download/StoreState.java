package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.LastStop;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Objects;

/**
 * What an open store holds, as its {@link Disk} reports it: the manifest, where the partial content lies (for
 * serving it), the chunks marked verified, and how the run that left them ended.
 */
public record StoreState(Manifest manifest, Path partRoot, BitSet verified, LastStop lastStop) {
    public StoreState {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(partRoot, "partRoot");
        Objects.requireNonNull(lastStop, "lastStop");
        verified = (BitSet) verified.clone(); // crosses threads: a copy of the store's own
    }
}
