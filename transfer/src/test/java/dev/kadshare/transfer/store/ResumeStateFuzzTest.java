package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.SampleManifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes loading a download's sidecar, a file anything may have damaged: it loads or is ignored, never
 * an exception; what loads names the id it was looked up by, marks only chunks the manifest has, and is
 * set to its proper length; and its manifest and marks survive being written anew and loaded again.
 */
class ResumeStateFuzzTest {
    /** Header before the manifest: magic, version, stop byte, manifest length. */
    private static final int HEADER_BYTES = 10;
    private static final ContentId ANY_OTHER = ContentId.fromHex("00".repeat(32));

    /** On tmpfs where there is one: every load forces the file, which costs a disk far more than the decoding. */
    @TempDir(factory = Tmpfs.class)
    Path dir;

    /** Seeds: real sidecars, each with some chunks marked (the committed corpus adds edge cases and findings). */
    static Stream<byte[]> sidecars() throws IOException {
        Path dir = Files.createTempDirectory("sidecars");
        try {
            return SampleManifests.all().map(m -> {
                BitSet marked = new BitSet();
                marked.set(0, m.chunkCount(), true);
                marked.clear(m.chunkCount() / 2);
                try (ResumeState state = ResumeState.create(m, dir, marked)) {
                    return Files.readAllBytes(ResumeState.pathFor(m.contentId(), dir));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList().stream();
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @MethodSource("sidecars")
    @FuzzTest
    void load(byte[] sidecar) throws IOException {
        // Looked up by the id of the manifest inside, if there is one: no input would match another by chance.
        ContentId id = embeddedManifest(sidecar).map(Manifest::contentId).orElse(ANY_OTHER);
        Path path = ResumeState.pathFor(id, dir);
        Files.write(path, sidecar);
        Optional<ResumeState.Loaded> loaded = ResumeState.load(id, dir);
        if (loaded.isEmpty()) {
            return;
        }
        loaded.get().state().close();
        Manifest manifest = loaded.get().manifest();
        BitSet verified = loaded.get().verified();
        assertEquals(id, manifest.contentId());
        assertTrue(verified.length() <= manifest.chunkCount(), "marks beyond the last chunk");
        assertEquals(HEADER_BYTES + manifest.canonicalBytes().length + manifest.chunkCount(), Files.size(path));

        ResumeState.create(manifest, dir, verified).close();
        ResumeState.Loaded again = ResumeState.load(id, dir).orElseThrow();
        again.state().close();
        assertEquals(manifest, again.manifest());
        assertEquals(verified, again.verified());
    }

    private static Optional<Manifest> embeddedManifest(byte[] sidecar) {
        if (sidecar.length < HEADER_BYTES) {
            return Optional.empty();
        }
        int length = ByteBuffer.wrap(sidecar).getInt(HEADER_BYTES - 4);
        if (length < 0 || length > sidecar.length - HEADER_BYTES) {
            return Optional.empty();
        }
        try {
            return Optional.of(Manifest.decode(Arrays.copyOfRange(sidecar, HEADER_BYTES, HEADER_BYTES + length)));
        } catch (MalformedManifestException e) {
            return Optional.empty();
        }
    }

    /** A temporary directory in /dev/shm when that is a writable directory, else the default one. */
    static final class Tmpfs implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "kadshare-fuzz") : Files.createTempDirectory("kadshare-fuzz");
        }
    }
}
