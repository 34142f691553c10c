package dev.kadshare.node.stream;

import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * One file of a content, as a stream request names it: its name (for its type), where its bytes start in the
 * content, its length, and its place in the content's layout.
 *
 * @param index its place in the content's files ({@code ContentLayout.files()}), 0 for a single file
 */
public record StreamedFile(String name, long contentOffset, long length, int index) {
    /**
     * The file {@code path} names in {@code manifest}: for a single file, none or its own name; for a directory, one
     * of its files' paths exactly as the manifest has it. Nothing is resolved on a file system, so no path can lead
     * out of the content: one the manifest does not list is no file (empty).
     */
    public static Optional<StreamedFile> find(Manifest manifest, Optional<String> path) {
        if (!manifest.isDirectory()) {
            boolean named = path.isEmpty() || path.get().equals(manifest.name());
            return named ? Optional.of(new StreamedFile(manifest.name(), 0, manifest.length(), 0)) : Optional.empty();
        }
        if (path.isEmpty()) {
            return Optional.empty();
        }
        List<ContentFile> files = manifest.files();
        long offset = 0;
        for (int i = 0; i < files.size(); i++) {
            ContentFile f = files.get(i);
            if (f.path().equals(path.get())) {
                String name = f.path().substring(f.path().lastIndexOf('/') + 1);
                return Optional.of(new StreamedFile(name, offset, f.length(), i));
            }
            offset += f.length();
        }
        return Optional.empty();
    }
}
