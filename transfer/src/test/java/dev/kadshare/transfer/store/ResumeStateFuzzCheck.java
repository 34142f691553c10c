package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.MalformedManifestException;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.SampleManifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDirFactory;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fuzz check of loading a download's sidecar, a file anything may have damaged, run by
 * {@link dev.kadshare.transfer.TransferDecodersFuzzTest}: it loads or is ignored, never an exception; what loads
 * names the id it was looked up by, marks only chunks the manifest has, and is set to its proper length; and its
 * manifest and marks survive being written anew and loaded again.
 */
public final class ResumeStateFuzzCheck {
    /** Magic, version, stop byte. */
    private static final int PREFIX_BYTES = 6;
    /** The digest of a version 4 or 5 sidecar's part stamps. */
    private static final int STAMPS_BYTES = 32;
    /**
     * What a version 5 sidecar holds before its manifest, besides its part and final names: prefix, the names'
     * lengths, stamps, manifest length.
     */
    private static final int HEADER_BYTES = PREFIX_BYTES + 2 + 2 + STAMPS_BYTES + 4;
    private static final String PART = ".sample.kadshare-part";
    private static final ContentId ANY_OTHER = ContentId.fromHex("00".repeat(32));

    private final Path dir;

    /** Checks sidecars written to {@code dir}: best a {@link Tmpfs} one, as every load forces the file. */
    public ResumeStateFuzzCheck(Path dir) {
        this.dir = dir;
    }

    /**
     * Seeds: real sidecars, each with some chunks marked, and each as its content's move into place left it (the
     * committed corpus adds edge cases and findings).
     */
    public static Stream<byte[]> sidecars() throws IOException {
        Path dir = Files.createTempDirectory("sidecars");
        try {
            return SampleManifests.all().flatMap(m -> {
                BitSet marked = new BitSet();
                marked.set(0, m.chunkCount(), true);
                marked.clear(m.chunkCount() / 2);
                Path path = ResumeState.pathFor(m.contentId(), dir);
                try (ResumeState state = ResumeState.create(m, dir, PART, marked)) {
                    byte[] partial = Files.readAllBytes(path);
                    ResumeState.recordMove(m, dir, PART, "sample", ContentStamps.NONE);
                    return Stream.of(partial, Files.readAllBytes(path));
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

    /** Checks one sidecar's bytes. */
    public void load(byte[] sidecar) throws IOException {
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
        // Whatever version it was, it is a version 5 sidecar of its proper length now.
        String part = loaded.get().partName();
        int finalName = ResumeState.moveFor(id, dir).map(m -> m.finalName().getBytes(StandardCharsets.UTF_8).length)
                .orElse(0);
        assertEquals(HEADER_BYTES + part.getBytes(StandardCharsets.UTF_8).length + finalName
                + manifest.canonicalBytes().length + manifest.chunkCount(), Files.size(path));

        ResumeState.create(manifest, dir, part, verified).close();
        ResumeState.Loaded again = ResumeState.load(id, dir).orElseThrow();
        again.state().close();
        assertEquals(manifest, again.manifest());
        assertEquals(part, again.partName());
        assertEquals(verified, again.verified());
        assertEquals(HEADER_BYTES + part.getBytes(StandardCharsets.UTF_8).length + manifest.canonicalBytes().length
                + manifest.chunkCount(), Files.size(path));
    }

    /**
     * The manifest a sidecar of version 2 (no part name), 3, 4 (stamps) or 5 (final name) holds, if its bytes say
     * where one is.
     */
    private static Optional<Manifest> embeddedManifest(byte[] sidecar) {
        if (sidecar.length < PREFIX_BYTES + 4) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(sidecar).position(PREFIX_BYTES);
        if (sidecar[4] >= 3 && sidecar[4] <= 5) {
            int partLength = in.getShort() & 0xffff;
            if (partLength + 4 > in.remaining()) {
                return Optional.empty();
            }
            in.position(in.position() + partLength);
            if (sidecar[4] == 5) {
                int finalLength = in.getShort() & 0xffff;
                if (finalLength + 4 > in.remaining()) {
                    return Optional.empty();
                }
                in.position(in.position() + finalLength);
            }
            int stamps = sidecar[4] >= 4 ? STAMPS_BYTES : 0;
            if (stamps + 4 > in.remaining()) {
                return Optional.empty();
            }
            in.position(in.position() + stamps);
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Manifest.decode(Arrays.copyOfRange(sidecar, in.position(), in.position() + length)));
        } catch (MalformedManifestException e) {
            return Optional.empty();
        }
    }

    /**
     * A temporary directory in /dev/shm when that is a writable directory, else the default one: every load forces
     * the file, which costs a disk far more than the decoding.
     */
    public static final class Tmpfs implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "kadshare-fuzz") : Files.createTempDirectory("kadshare-fuzz");
        }
    }
}
